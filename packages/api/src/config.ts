import { parseEnvironment, setting, wholeNumber, type Env } from "@sigil/db";
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
});

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
  };
}

let processApiConfig: ApiConfig | undefined;

/** This process's API settings, read from the environment once. */
export function apiConfig(): ApiConfig {
  processApiConfig ??= readApiConfig(process.env);
  return processApiConfig;
}
