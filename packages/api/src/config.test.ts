import { describe, expect, test } from "vitest";
import type { Env } from "@sigil/db";
import { RATE_LIMIT_DEFAULTS, readApiConfig } from "./config.ts";

const readRateLimitConfig = (env: Env) => readApiConfig(env).rateLimits;

describe("rate-limit settings", () => {
  test("defaults when unset; whole numbers ≥ 0 are taken (0: no limit)", () => {
    expect(readRateLimitConfig({})).toEqual(RATE_LIMIT_DEFAULTS);
    expect(readRateLimitConfig({ RATE_LIMIT_SIGNIN_PER_IP: "0", RATE_LIMIT_API_PER_KEY: "50" })).toMatchObject({ signInPerIp: 0, apiPerKey: 50 });
  });

  test.each(["abc", "-1", "1.5", "1e12"])("%j is refused with a message naming the variable", (value) => {
    expect(() => readRateLimitConfig({ RATE_LIMIT_API_PER_TENANT: value })).toThrow(
      /^RATE_LIMIT_API_PER_TENANT=".*" is not valid: expected a whole number from 0 to 1000000000/,
    );
  });
});
