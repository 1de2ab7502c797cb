import { describe, expect, test } from "vitest";
import { MAX_RETRY_DELAY_MS, retryDelayMs } from "./backoff.ts";

describe("retryDelayMs", () => {
  test("doubles from 30 s and stops at 1 h", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 50].map((attempt) => retryDelayMs(attempt, none))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  test("adds up to 10 % jitter, never beyond 1 h", () => {
    expect(retryDelayMs(1, () => 0.999)).toBe(Math.round(30_000 * 1.0999));
    expect(retryDelayMs(2, () => 0.5)).toBe(63_000);
    expect(retryDelayMs(8, () => 0.999)).toBe(MAX_RETRY_DELAY_MS);
    for (let attempt = 1; attempt < 20; attempt += 1) {
      const delay = retryDelayMs(attempt);
      expect(delay).toBeGreaterThanOrEqual(Math.min(30_000 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS));
      expect(delay).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
    }
  });

  test("refuses attempt numbers that are not whole and positive", () => {
    expect(() => retryDelayMs(0)).toThrow(/whole number ≥ 1/);
    expect(() => retryDelayMs(1.5)).toThrow(/whole number ≥ 1/);
  });
});
