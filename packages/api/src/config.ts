import { InvalidSettingError, parseEnvironment, setting, wholeNumber, type Env, type SettingProblem } from "@sigil/db";
import { z } from "zod";
import { parseOutboundAllow, type OutboundAllowEntry } from "./outbound/allow-list.ts";

/** API settings from the environment (README: Settings), built on @sigil/db's settings module. */
export interface ApiConfig {
  /** Tenants live on `<slug>.<rootDomain>`; the admin dashboard on `admin.<rootDomain>`. */
  rootDomain: string;
  sessionTtlMs: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockoutMs: number;
  rateLimits: RateLimitConfig;
  /** SIGIL_OUTBOUND_ALLOW: non-public `host:port` destinations providers may reach (e.g. a local model server). */
  outboundAllow: OutboundAllowEntry[];
  /** HTTP edge (src/http/edge.ts): proxies in front of Sigil whose X-Forwarded-For/-Proto count; 0 = none. */
  trustProxyHops: number;
  /** Largest request body of any request but a file upload, in bytes. */
  maxBodyBytes: number;
  /** Largest request body of a request that calls `files.upload`, in bytes. */
  maxUploadBodyBytes: number;
  /** How long a password reset link stays valid. */
  passwordResetTtlMs: number;
  /** Where mail goes out (invitations, password resets); null: none, links are handed over by an admin. */
  mail: MailConfig | null;
}

/** SMTP_* settings: the server mail is handed to, and the links mails carry. */
export interface MailConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth: { user: string; pass: string } | null;
  /** The From header, e.g. `Sigil <sigil@example.com>`. */
  from: string;
  /** A workspace's address with `{slug}` for its name, e.g. `https://{slug}.sigil.example.com`. */
  workspaceUrl: string;
}

/** Requests allowed per minute (a token bucket of that size, refilled over a minute); 0: no limit. */
export interface RateLimitConfig {
  /** Sign-ins (tenant and admin) and invitation acceptances from one IP address. */
  signInPerIp: number;
  /** Sign-ins of one account (tenant + email, or admin + email), and acceptances of one invitation. */
  signInPerAccount: number;
  /** API calls made with one API key. */
  apiPerKey: number;
  /** API calls made with any API key of one tenant. */
  apiPerTenant: number;
}

export const RATE_LIMIT_DEFAULTS: RateLimitConfig = { signInPerIp: 60, signInPerAccount: 20, apiPerKey: 1_200, apiPerTenant: 6_000 };

const requestsPerMinute = (fallback: number) => wholeNumber(fallback, { min: 0, max: 1_000_000_000 });

const TRUST_PROXY_EXPECTED = "off (default), on, or the number of proxies in front of Sigil (1–99)";

/**
 * TRUST_PROXY: unset, `0`, `off` or `false` trusts no proxy (the client address is the socket's);
 * `on`, `true` or `1` trusts one proxy; a number `n` trusts the nearest `n` proxies.
 */
function trustProxyHops(raw: string): number | undefined {
  const text = raw.trim().toLowerCase();
  if (text === "" || text === "0" || text === "off" || text === "false") return 0;
  if (text === "on" || text === "true") return 1;
  return /^[1-9]\d?$/.test(text) ? Number(text) : undefined;
}

const byteSize = (fallback: number) => wholeNumber(fallback, { min: 1024, max: 1024 ** 3 });

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$|^\[[0-9a-f:.]+\]$/;
const MAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** `someone@example.com` or `Display Name <someone@example.com>`. */
function fromAddress(raw: string): string | undefined {
  const named = /^([^<>]*)<([^<>]+)>$/.exec(raw);
  const address = named ? named[2]?.trim() : raw;
  return address && MAIL_ADDRESS.test(address) ? raw : undefined;
}

/** An http(s) URL with `{slug}` in its host and nothing after the port. */
function workspaceUrlPattern(raw: string): string | undefined {
  if (!raw.includes("{slug}")) return undefined;
  try {
    const url = new URL(raw.replace("{slug}", "slug-placeholder"));
    const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
    const ok = (url.protocol === "https:" || url.protocol === "http:") && url.hostname.startsWith("slug-placeholder.") && bare;
    return ok ? raw.replace(/\/$/, "") : undefined;
  } catch {
    return undefined;
  }
}

const onOff = (raw: string): boolean | undefined => {
  const text = raw.toLowerCase();
  if (["on", "true", "1", "yes"].includes(text)) return true;
  if (["off", "false", "0", "no"].includes(text)) return false;
  return undefined;
};

const text = (expected: string) => setting<string | undefined>(expected, (raw) => raw, undefined);

export const apiEnvironment = z.object({
  ROOT_DOMAIN: setting(
    "a host name such as localhost or sigil.example.com (no scheme, port or path)",
    (raw) => (DOMAIN.test(raw.toLowerCase()) ? raw.toLowerCase() : undefined),
    "localhost",
  ),
  SESSION_TTL_HOURS: wholeNumber(24 * 7, { max: 24 * 366 }),
  RATE_LIMIT_SIGNIN_PER_IP: requestsPerMinute(RATE_LIMIT_DEFAULTS.signInPerIp),
  RATE_LIMIT_SIGNIN_PER_ACCOUNT: requestsPerMinute(RATE_LIMIT_DEFAULTS.signInPerAccount),
  RATE_LIMIT_API_PER_KEY: requestsPerMinute(RATE_LIMIT_DEFAULTS.apiPerKey),
  RATE_LIMIT_API_PER_TENANT: requestsPerMinute(RATE_LIMIT_DEFAULTS.apiPerTenant),
  SIGIL_OUTBOUND_ALLOW: setting<OutboundAllowEntry[]>(
    "comma-separated host:port entries, e.g. localhost:11434 or [::1]:8000",
    (raw) => {
      try {
        return parseOutboundAllow(raw);
      } catch {
        return undefined;
      }
    },
    [],
  ),
  TRUST_PROXY: setting(TRUST_PROXY_EXPECTED, trustProxyHops, 0),
  // 1 MiB: a 100,000-character template, JSON-escaped, in a batch, with room to spare.
  MAX_BODY_BYTES: byteSize(1024 * 1024),
  // 16 MiB: a 10 MB file is 13.4 MB of base64, plus its name and the JSON around it.
  MAX_UPLOAD_BODY_BYTES: byteSize(16 * 1024 * 1024),
  PASSWORD_RESET_TTL_MINUTES: wholeNumber(60, { min: 5, max: 24 * 60 }),
  SMTP_HOST: setting<string | undefined>("a host name or IP address", (raw) => (HOST.test(raw.toLowerCase()) ? raw.toLowerCase() : undefined), undefined),
  SMTP_PORT: wholeNumber(587, { max: 65_535 }),
  SMTP_SECURE: setting<boolean | undefined>("on or off", onOff, undefined),
  SMTP_USER: text("a user name"),
  SMTP_PASSWORD: text("a password"),
  SMTP_FROM: setting<string | undefined>("an address such as sigil@example.com or Sigil <sigil@example.com>", fromAddress, undefined),
  SIGIL_WORKSPACE_URL: setting<string | undefined>(
    "a workspace address with {slug}, such as https://{slug}.sigil.example.com (no path)",
    workspaceUrlPattern,
    undefined,
  ),
});

type ApiEnvironment = z.output<typeof apiEnvironment>;

/** SMTP_HOST turns mail on; it then needs a sender and the address links point to. */
function mailConfig(values: ApiEnvironment): MailConfig | null {
  if (!values.SMTP_HOST) {
    const stray = (["SMTP_FROM", "SMTP_USER", "SMTP_PASSWORD", "SMTP_SECURE"] as const).find((name) => values[name] !== undefined);
    // The value is left out of the message: it may be the password.
    if (stray) throw new InvalidSettingError([{ name: stray, value: undefined, expected: "to be set only with SMTP_HOST (mail is off without it)" }]);
    return null;
  }
  const problems: SettingProblem[] = [];
  if (!values.SMTP_FROM) problems.push({ name: "SMTP_FROM", value: undefined, expected: "the sender address of Sigil's mail (required with SMTP_HOST)" });
  if (!values.SIGIL_WORKSPACE_URL) {
    problems.push({
      name: "SIGIL_WORKSPACE_URL",
      value: undefined,
      expected: "the address mailed links point to, such as https://{slug}.sigil.example.com (required with SMTP_HOST)",
    });
  }
  if ((values.SMTP_USER === undefined) !== (values.SMTP_PASSWORD === undefined)) {
    problems.push({
      name: values.SMTP_USER === undefined ? "SMTP_USER" : "SMTP_PASSWORD",
      value: undefined,
      expected: "set together with SMTP_USER and SMTP_PASSWORD",
    });
  }
  if (problems.length > 0 || !values.SMTP_FROM || !values.SIGIL_WORKSPACE_URL) throw new InvalidSettingError(problems);
  return {
    host: values.SMTP_HOST,
    port: values.SMTP_PORT,
    secure: values.SMTP_SECURE ?? values.SMTP_PORT === 465,
    auth: values.SMTP_USER !== undefined && values.SMTP_PASSWORD !== undefined ? { user: values.SMTP_USER, pass: values.SMTP_PASSWORD } : null,
    from: values.SMTP_FROM,
    workspaceUrl: values.SIGIL_WORKSPACE_URL,
  };
}

export function readApiConfig(env: Env): ApiConfig {
  const values = parseEnvironment(apiEnvironment, env);
  return {
    rootDomain: values.ROOT_DOMAIN,
    sessionTtlMs: values.SESSION_TTL_HOURS * 3_600_000,
    maxFailedLogins: 5,
    lockoutMs: 30 * 60_000,
    rateLimits: {
      signInPerIp: values.RATE_LIMIT_SIGNIN_PER_IP,
      signInPerAccount: values.RATE_LIMIT_SIGNIN_PER_ACCOUNT,
      apiPerKey: values.RATE_LIMIT_API_PER_KEY,
      apiPerTenant: values.RATE_LIMIT_API_PER_TENANT,
    },
    outboundAllow: values.SIGIL_OUTBOUND_ALLOW,
    trustProxyHops: values.TRUST_PROXY,
    maxBodyBytes: values.MAX_BODY_BYTES,
    maxUploadBodyBytes: values.MAX_UPLOAD_BODY_BYTES,
    passwordResetTtlMs: values.PASSWORD_RESET_TTL_MINUTES * 60_000,
    mail: mailConfig(values),
  };
}

let processApiConfig: ApiConfig | undefined;

/** This process's API settings, read from the environment once. */
export function apiConfig(): ApiConfig {
  processApiConfig ??= readApiConfig(process.env);
  return processApiConfig;
}
