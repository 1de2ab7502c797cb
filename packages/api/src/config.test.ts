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

describe("mail settings", () => {
  const smtp = { SMTP_HOST: "smtp.example.com", SMTP_FROM: "Sigil <sigil@example.com>", SIGIL_WORKSPACE_URL: "https://{slug}.sigil.example.com" };

  test("no SMTP_HOST: no mail; a reset link lasts 60 minutes unless set", () => {
    expect(readApiConfig({}).mail).toBeNull();
    expect(readApiConfig({}).passwordResetTtlMs).toBe(60 * 60_000);
    expect(readApiConfig({ PASSWORD_RESET_TTL_MINUTES: "15" }).passwordResetTtlMs).toBe(15 * 60_000);
    expect(() => readApiConfig({ PASSWORD_RESET_TTL_MINUTES: "2" })).toThrow(/PASSWORD_RESET_TTL_MINUTES/);
  });

  test("SMTP_HOST with a sender and the workspace address: port 587 with STARTTLS, 465 with TLS", () => {
    expect(readApiConfig(smtp).mail).toEqual({
      host: "smtp.example.com",
      port: 587,
      secure: false,
      auth: null,
      from: "Sigil <sigil@example.com>",
      workspaceUrl: "https://{slug}.sigil.example.com",
    });
    expect(readApiConfig({ ...smtp, SMTP_PORT: "465", SMTP_USER: "u", SMTP_PASSWORD: "p" }).mail).toMatchObject({
      secure: true,
      auth: { user: "u", pass: "p" },
    });
  });

  test("what mail needs is required with SMTP_HOST, and SMTP settings without it are refused", () => {
    expect(() => readApiConfig({ SMTP_HOST: "smtp.example.com" })).toThrow(/SMTP_FROM[\s\S]*SIGIL_WORKSPACE_URL/);
    expect(() => readApiConfig({ ...smtp, SMTP_USER: "u" })).toThrow(/SMTP_PASSWORD/);
    expect(() => readApiConfig({ SMTP_FROM: "sigil@example.com" })).toThrow(/SMTP_HOST/);
    expect(() => readApiConfig({ ...smtp, SMTP_FROM: "not an address" })).toThrow(/SMTP_FROM/);
    for (const url of ["https://sigil.example.com", "https://{slug}.example.com/path", "ftp://{slug}.example.com"]) {
      expect(() => readApiConfig({ ...smtp, SIGIL_WORKSPACE_URL: url })).toThrow(/SIGIL_WORKSPACE_URL/);
    }
  });

  test("the SMTP password never appears in a message", () => {
    let message = "";
    try {
      readApiConfig({ SMTP_PASSWORD: "hunter2-secret" });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain("SMTP_HOST");
    expect(message).not.toContain("hunter2");
  });
});
