import { parseEnvironment, setting, wholeNumber, type Env } from "@sigil/db";
import { z } from "zod";

/** API settings from the environment (README: Settings), built on @sigil/db's settings module. */
export interface ApiConfig {
  /** Tenants live on `<slug>.<rootDomain>`; the admin dashboard on `admin.<rootDomain>`. */
  rootDomain: string;
  sessionTtlMs: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockoutMs: number;
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const apiEnvironment = z.object({
  ROOT_DOMAIN: setting("a host name such as localhost or sigil.example.com (no scheme, port or path)", (raw) => (DOMAIN.test(raw.toLowerCase()) ? raw.toLowerCase() : undefined), "localhost"),
  SESSION_TTL_HOURS: wholeNumber(24 * 7, { max: 24 * 366 }),
});

export function readApiConfig(env: Env): ApiConfig {
  const values = parseEnvironment(apiEnvironment, env);
  return {
    rootDomain: values.ROOT_DOMAIN,
    sessionTtlMs: values.SESSION_TTL_HOURS * 3_600_000,
    maxFailedLogins: 5,
    lockoutMs: 30 * 60_000,
  };
}

let processApiConfig: ApiConfig | undefined;

/** This process's API settings, read from the environment once. */
export function apiConfig(): ApiConfig {
  processApiConfig ??= readApiConfig(process.env);
  return processApiConfig;
}
