/** API settings from the environment (README: Settings). */
export interface ApiConfig {
  /** Tenants live on `<slug>.<rootDomain>`; the admin dashboard on `admin.<rootDomain>`. */
  rootDomain: string;
  sessionTtlMs: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockoutMs: number;
  rateLimits: RateLimitConfig;
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

/** A whole number ≥ 0 from the environment, or a clear error naming the variable. */
function requestsPerMinute(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000_000) {
    throw new Error(`${name} must be a whole number of requests per minute from 0 (no limit) to 1000000000; got "${raw}".`);
  }
  return value;
}

export function readRateLimitConfig(env: Record<string, string | undefined> = process.env): RateLimitConfig {
  return {
    signInPerIp: requestsPerMinute(env, "RATE_LIMIT_SIGNIN_PER_IP", RATE_LIMIT_DEFAULTS.signInPerIp),
    signInPerAccount: requestsPerMinute(env, "RATE_LIMIT_SIGNIN_PER_ACCOUNT", RATE_LIMIT_DEFAULTS.signInPerAccount),
    apiPerKey: requestsPerMinute(env, "RATE_LIMIT_API_PER_KEY", RATE_LIMIT_DEFAULTS.apiPerKey),
    apiPerTenant: requestsPerMinute(env, "RATE_LIMIT_API_PER_TENANT", RATE_LIMIT_DEFAULTS.apiPerTenant),
  };
}

export function readApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return {
    rootDomain: (env.ROOT_DOMAIN ?? "localhost").toLowerCase(),
    sessionTtlMs: Number(env.SESSION_TTL_HOURS ?? 24 * 7) * 3_600_000,
    maxFailedLogins: 5,
    lockoutMs: 30 * 60_000,
    rateLimits: readRateLimitConfig(env),
  };
}
