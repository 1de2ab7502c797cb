import { describe, expect, test } from "vitest";
import { identifyTenant } from "./tenant-identification.ts";

const ROOT = "localhost";
const id = (host: string, extra: { path?: string; tenantHeader?: string | null } = {}) =>
  identifyTenant({ host, path: extra.path ?? "/", tenantHeader: extra.tenantHeader ?? null }, ROOT);

describe("identifyTenant", () => {
  test("the subdomain of the root domain names the tenant", () => {
    expect(id("acme.localhost")).toEqual({ kind: "tenant", identifiers: [{ source: "subdomain", kind: "slug", value: "acme" }] });
  });

  test("the root domain, www and api name no tenant; admin is the dashboard", () => {
    expect(id("localhost")).toEqual({ kind: "none" });
    expect(id("www.localhost")).toEqual({ kind: "none" });
    expect(id("api.localhost")).toEqual({ kind: "none" });
    expect(id("admin.localhost")).toEqual({ kind: "admin" });
  });

  test("the x-tenant-id header takes a slug or a registry id", () => {
    expect(id("localhost", { tenantHeader: "acme" })).toEqual({ kind: "tenant", identifiers: [{ source: "header", kind: "slug", value: "acme" }] });
    const uuid = "5f0c6a52-1d2b-4c55-9f5e-0a7d3c2b1e44";
    expect(id("127.0.0.1", { tenantHeader: uuid })).toEqual({ kind: "tenant", identifiers: [{ source: "header", kind: "id", value: uuid }] });
  });

  test("the /tenant/<slug>/ path prefix names the tenant", () => {
    expect(id("localhost", { path: "/tenant/acme/api/trpc/auth.me" })).toEqual({
      kind: "tenant",
      identifiers: [{ source: "path", kind: "slug", value: "acme" }],
    });
    expect(id("localhost", { path: "/tenant/acme" })).toMatchObject({ kind: "tenant" });
    expect(id("localhost", { path: "/tenants/acme/x" })).toEqual({ kind: "none" });
  });

  test("a host outside the root domain is a custom-domain candidate", () => {
    expect(id("prompts.example.com")).toEqual({ kind: "tenant", identifiers: [{ source: "domain", kind: "domain", value: "prompts.example.com" }] });
  });

  test("IP-literal hosts are never tenants (127.0.0.1 is not tenant 127)", () => {
    for (const host of ["127.0.0.1", "10.0.0.1", "[::1]", "::1", "[fe80::1]"]) expect(id(host)).toEqual({ kind: "none" });
    expect(id("127.0.0.1", { tenantHeader: "acme" })).toMatchObject({ kind: "tenant", identifiers: [{ source: "header" }] });
  });

  test("agreeing identifiers are all kept; disagreeing ones are invalid", () => {
    expect(id("acme.localhost", { tenantHeader: "acme", path: "/tenant/acme/x" })).toMatchObject({ kind: "tenant", identifiers: [{}, {}, {}] });
    expect(id("acme.localhost", { tenantHeader: "globex" })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/different tenants/) as unknown });
    expect(id("acme.localhost", { path: "/tenant/globex/" })).toMatchObject({ kind: "invalid" });
    expect(id("localhost", { tenantHeader: "acme", path: "/tenant/globex/" })).toMatchObject({ kind: "invalid" });
  });

  test("the admin host serves no tenant, whatever else the request says", () => {
    expect(id("admin.localhost", { tenantHeader: "acme" })).toMatchObject({ kind: "invalid" });
    expect(id("admin.localhost", { path: "/tenant/acme/" })).toMatchObject({ kind: "invalid" });
  });

  const HOSTILE = ["../x", "..%2f", "a/b", "acme\u0000", "ACME", "аcme", "ａｃｍｅ", "x".repeat(300), "-acme", "acme-", "a_b", "a b", "a.b"];
  test.each(HOSTILE)("hostile identifier %j is rejected, never cleaned up", (value) => {
    expect(id("localhost", { tenantHeader: value }).kind).toBe("invalid");
    expect(id("localhost", { path: `/tenant/${encodeURIComponent(value)}/x` }).kind).toBe("invalid");
    if (!/[./]/.test(value)) expect(id(`${value}.localhost`).kind).toBe("invalid");
  });

  test("an empty header or path segment is rejected; a reserved slug in the header too", () => {
    expect(id("localhost", { tenantHeader: "" }).kind).toBe("invalid");
    expect(id("localhost", { path: "/tenant//x" }).kind).toBe("invalid");
    expect(id("localhost", { tenantHeader: "admin" }).kind).toBe("invalid");
    expect(id("localhost", { path: "/tenant/%E0%A4%A/x" })).toMatchObject({ kind: "invalid", message: expect.stringMatching(/URL encoding/) as unknown });
  });

  test("two labels before the root domain are not a tenant", () => {
    expect(id("a.b.localhost")).toMatchObject({ kind: "invalid" });
  });
});
