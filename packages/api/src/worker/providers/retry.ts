/** Attempts of one provider call at most (the first plus retries). */
export const MAX_PROVIDER_ATTEMPTS = 4;
/** The first retry waits about this long; each next one twice as long (with jitter). */
export const BASE_RETRY_DELAY_MS = 500;
/** No single wait is longer than this, whatever Retry-After asks. */
export const MAX_RETRY_DELAY_MS = 30_000;

/** Statuses worth another try: rate limited, or the server failed (not the request). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * Retry-After (RFC 9110 §10.2.3) in ms: delay-seconds or an HTTP date; null when absent or
 * unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return null;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (1 for the first): the server's Retry-After when it
 * gave one, else exponential backoff with full jitter (a random wait up to base × 2^(retry-1)), so
 * workers that failed together do not come back together. Capped at MAX_RETRY_DELAY_MS.
 */
export function retryDelayMs(retry: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, MAX_RETRY_DELAY_MS);
  const ceiling = Math.min(BASE_RETRY_DELAY_MS * 2 ** (retry - 1), MAX_RETRY_DELAY_MS);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
