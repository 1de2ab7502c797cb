/** API settings from the environment (README: Settings). */
export interface ApiConfig {
  /** Tenants live on `<slug>.<rootDomain>`; the admin dashboard on `admin.<rootDomain>`. */
  rootDomain: string;
  sessionTtlMs: number;
  /** Failed logins before an account is locked, and for how long. */
  maxFailedLogins: number;
  lockoutMs: number;
  /** HTTP edge (src/http/edge.ts): proxies in front of Sigil whose X-Forwarded-For/-Proto count; 0 = none. */
  trustProxyHops: number;
  /** Largest request body of any request but a file upload, in bytes. */
  maxBodyBytes: number;
  /** Largest request body of a request that calls `files.upload`, in bytes. */
  maxUploadBodyBytes: number;
}

export class InvalidSettingError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is not valid: ${expected}.`);
    this.name = "InvalidSettingError";
  }
}

/**
 * TRUST_PROXY: unset, `0`, `off` or `false` trusts no proxy (the client address is the socket's);
 * `on`, `true` or `1` trusts one proxy; a number `n` trusts the nearest `n` proxies.
 */
export function parseTrustProxy(value: string | undefined): number {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "" || text === "0" || text === "off" || text === "false") return 0;
  if (text === "on" || text === "true") return 1;
  if (/^[1-9]\d?$/.test(text)) return Number(text);
  throw new InvalidSettingError("TRUST_PROXY", value ?? "", "use off (default), on, or the number of proxies in front of Sigil (1–99)");
}

function byteSize(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1024 || Number(value) > 1024 ** 3) {
    throw new InvalidSettingError(variable, value, "a number of bytes between 1024 and 1073741824");
  }
  return Number(value);
}

export function readApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return {
    rootDomain: (env.ROOT_DOMAIN ?? "localhost").toLowerCase(),
    sessionTtlMs: Number(env.SESSION_TTL_HOURS ?? 24 * 7) * 3_600_000,
    maxFailedLogins: 5,
    lockoutMs: 30 * 60_000,
    trustProxyHops: parseTrustProxy(env.TRUST_PROXY),
    // 1 MiB: a 100,000-character template, JSON-escaped, in a batch, with room to spare.
    maxBodyBytes: byteSize("MAX_BODY_BYTES", env.MAX_BODY_BYTES, 1024 * 1024),
    // 16 MiB: a 10 MB file is 13.4 MB of base64, plus its name and the JSON around it.
    maxUploadBodyBytes: byteSize("MAX_UPLOAD_BODY_BYTES", env.MAX_UPLOAD_BODY_BYTES, 16 * 1024 * 1024),
  };
}
