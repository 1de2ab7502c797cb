import { parseOutboundAllow, type OutboundAllowEntry } from "./outbound/allow-list.ts";

/** API settings from the environment (README: Settings). */
export interface ApiConfig {
  /** Tenants live on `<slug>.<rootDomain>`; the admin dashboard on `admin.<rootDomain>`. */
  rootDomain: string;
  sessionTtlMs: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockoutMs: number;
  /** SIGIL_OUTBOUND_ALLOW: non-public `host:port` destinations providers may reach (e.g. a local model server). */
  outboundAllow: OutboundAllowEntry[];
}

export function readApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return {
    rootDomain: (env.ROOT_DOMAIN ?? "localhost").toLowerCase(),
    sessionTtlMs: Number(env.SESSION_TTL_HOURS ?? 24 * 7) * 3_600_000,
    maxFailedLogins: 5,
    lockoutMs: 30 * 60_000,
    outboundAllow: parseOutboundAllow(env.SIGIL_OUTBOUND_ALLOW),
  };
}
