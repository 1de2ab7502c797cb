/** The first retry's delay; each further retry doubles it, up to MAX_RETRY_DELAY_MS. */
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
/** Each delay is lengthened by up to this fraction at random, so receivers that failed together are not retried together. */
export const RETRY_JITTER = 0.1;

/**
 * How long to wait after failed attempt number `attempt` (1 = the first attempt): 30 s, 1 min,
 * 2 min, 4 min … capped at 1 h, each plus up to 10 % jitter (`random` in [0, 1)) and never above 1 h.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`An attempt number is a whole number ≥ 1; got ${attempt}.`);
  const base = Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt - 1, 30), MAX_RETRY_DELAY_MS);
  return Math.min(Math.round(base * (1 + RETRY_JITTER * random())), MAX_RETRY_DELAY_MS);
}
