import { describe, expect, test } from "vitest";
import { isRetryableStatus, MAX_RETRY_DELAY_MS, parseRetryAfter, retryDelayMs } from "./retry.ts";

describe("retries", () => {
  test("Retry-After in seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
  });

  test("the server's wait is honoured but capped; otherwise exponential backoff with jitter", () => {
    expect(retryDelayMs(1, 2_000)).toBe(2_000);
    expect(retryDelayMs(1, 3_600_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1, null, () => 0)).toBe(250);
    expect(retryDelayMs(1, null, () => 1)).toBe(500);
    expect(retryDelayMs(3, null, () => 1)).toBe(2_000);
    expect(retryDelayMs(30, null, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  test("429, 408 and 5xx are retried; other 4xx are not", () => {
    expect([429, 408, 500, 503, 529].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });
});
