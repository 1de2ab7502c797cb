import { INTERNAL_HEADER_PREFIX } from "@sigil/api/edge";
import { describe, expect, test } from "vitest";
import { contentSecurityPolicy, newNonce } from "./csp";
import { ROUTE_HEADERS } from "./routing";

describe("content security policy", () => {
  test("scripts need the nonce: no 'unsafe-inline', no framing", () => {
    const policy = contentSecurityPolicy("abc123", { dev: false });
    const scriptSrc = policy.split("; ").find((directive) => directive.startsWith("script-src "));
    expect(scriptSrc).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(contentSecurityPolicy("n", { dev: true })).toContain("'unsafe-eval'");
  });

  test("nonces differ on every call", () => {
    expect(newNonce()).not.toBe(newNonce());
    expect(newNonce()).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

test("every internal routing header carries the prefix the HTTP edge strips from clients", () => {
  for (const name of Object.values(ROUTE_HEADERS)) expect(name.startsWith(INTERNAL_HEADER_PREFIX)).toBe(true);
});
