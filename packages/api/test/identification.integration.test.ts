import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";

/** The identification matrix through the real fetch handler, with exact HTTP status codes. */
let env: TestEnv;
let acmeCookie: string;
let acmeId: string;
beforeAll(async () => {
  env = await useTestEnv();
  const { tenant } = await createTenantWithUsers("acme");
  acmeId = tenant.id;
  await createTenantWithUsers("globex");
  await tenantModel.update(tenant.id, { domain: "prompts.acme.example" });
  acmeCookie = await login("acme", "admin@acme.test");
});
afterAll(() => env.cleanup());

const me = (options: Parameters<typeof call>[3]) => call<{ tenant: { slug: string } }>("query", "auth.me", undefined, options);

describe("a tenant is identified by", () => {
  test("its subdomain", async () => {
    const result = await me({ host: "acme.localhost:3000", cookie: acmeCookie });
    expect(result.status).toBe(200);
    expect(result.data?.tenant.slug).toBe("acme");
  });
  test("the x-tenant-id header (slug or registry id) on an IP host", async () => {
    expect((await me({ host: "127.0.0.1:3000", headers: { "x-tenant-id": "acme" }, cookie: acmeCookie })).data?.tenant.slug).toBe("acme");
    expect((await me({ host: "127.0.0.1:3000", headers: { "x-tenant-id": acmeId }, cookie: acmeCookie })).data?.tenant.slug).toBe("acme");
  });
  test("the /tenant/<slug>/ path prefix", async () => {
    const result = await me({ host: "localhost:3000", pathPrefix: "/tenant/acme", cookie: acmeCookie });
    expect(result.status).toBe(200);
    expect(result.data?.tenant.slug).toBe("acme");
  });
  test("a registered custom domain", async () => {
    const result = await me({ host: "prompts.acme.example", cookie: acmeCookie });
    expect(result.status).toBe(200);
    expect(result.data?.tenant.slug).toBe("acme");
  });
  test("agreeing identifiers together", async () => {
    const result = await me({ host: "acme.localhost", headers: { "x-tenant-id": "acme" }, pathPrefix: "/tenant/acme", cookie: acmeCookie });
    expect(result.status).toBe(200);
  });
});

describe("refusals", () => {
  test("no identifier → 400 Tenant identification required", async () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "www.localhost"]) {
      const result = await me({ host });
      expect(result.status).toBe(400);
      expect(result.error?.message).toMatch(/^Tenant identification required/);
    }
  });
  test("identifiers that disagree → 400", async () => {
    expect((await me({ host: "acme.localhost", headers: { "x-tenant-id": "globex" } })).status).toBe(400);
    expect((await me({ host: "acme.localhost", pathPrefix: "/tenant/globex" })).status).toBe(400);
    const mixed = await me({ host: "globex.localhost", headers: { "x-tenant-id": acmeId } });
    expect(mixed.status).toBe(400);
    expect(mixed.error?.message).toMatch(/two different workspaces/);
  });
  test("unknown tenant → 404, by subdomain, header, path, id and domain", async () => {
    expect((await me({ host: "initech.localhost" })).status).toBe(404);
    expect((await me({ host: "127.0.0.1", headers: { "x-tenant-id": "initech" } })).status).toBe(404);
    expect((await me({ host: "localhost", pathPrefix: "/tenant/initech" })).status).toBe(404);
    expect((await me({ host: "127.0.0.1", headers: { "x-tenant-id": randomUUID() } })).status).toBe(404);
    const domain = await me({ host: "unknown.example.com" });
    expect(domain.status).toBe(404);
    expect(domain.error?.message).toMatch(/unknown\.example\.com/);
  });
  test("reserved labels are not tenants", async () => {
    expect((await me({ host: "www.localhost" })).status).toBe(400);
    expect((await me({ host: "api.localhost" })).status).toBe(400);
    expect((await me({ host: "admin.localhost" })).status).toBe(400);
    expect((await me({ host: "127.0.0.1", headers: { "x-tenant-id": "admin" } })).status).toBe(400);
  });
  test.each(["../x", "..%2f", "a%2Fb", "ACME", "%D0%B0cme", "x".repeat(300), "-acme", "a_b", "%00acme"])(
    "hostile slug %j in the path → 400, no file touched",
    async (raw) => {
      const before = readdirSync(env.dataDir).sort();
      const result = await me({ host: "localhost", pathPrefix: `/tenant/${raw}` });
      // `/tenant/../x/api/trpc` is normalised by URL parsing to a path outside the API: 404.
      expect(raw === "../x" ? 404 : 400).toBe(result.status);
      expect(readdirSync(env.dataDir).sort()).toEqual(before);
    },
  );
  test.each(["../x", "a/b", "ACME", "аcme", "ａｃｍｅ", "x".repeat(300), "", "acme\tx"])("hostile x-tenant-id %j → 400", async (value) => {
    // Non-ASCII reaches a server as its UTF-8 bytes read as Latin-1, which is what we send.
    const onTheWire = Buffer.from(value, "utf8").toString("latin1");
    const result = await me({ host: "127.0.0.1", headers: { "x-tenant-id": onTheWire } });
    expect(result.status).toBe(400);
  });
  test("a hostile host → 400", async () => {
    for (const host of ["a.b.localhost", "-acme.localhost", "acme_.localhost"]) expect((await me({ host })).status).toBe(400);
  });
  test("a suspended or inactive tenant → 403 naming its status", async () => {
    const { tenant } = await createTenantWithUsers("paused");
    await tenantModel.suspend(tenant.id);
    const suspended = await me({ tenant: "paused" });
    expect(suspended.status).toBe(403);
    expect(suspended.error?.message).toMatch(/suspended/);
    await tenantModel.update(tenant.id, { status: "inactive" });
    expect((await me({ tenant: "paused" })).error?.message).toMatch(/inactive/);
    await tenantModel.reactivate(tenant.id);
    expect((await me({ tenant: "paused" })).status).toBe(401);
  });
});

describe("authentication paths", () => {
  test("no credentials → 401; a session of another tenant → 403", async () => {
    expect((await me({ tenant: "acme" })).status).toBe(401);
    expect((await me({ tenant: "globex", cookie: acmeCookie })).status).toBe(403);
    // The same on the shared host of the path prefix, where one browser holds both cookies.
    expect((await me({ host: "localhost", pathPrefix: "/tenant/globex", cookie: acmeCookie })).status).toBe(403);
  });
  test("an unknown session or a malformed key → 401", async () => {
    expect((await me({ tenant: "acme", cookie: "sigil_session=not-a-real-session" })).status).toBe(401);
    expect((await me({ tenant: "acme", apiKey: "sgl_nope" })).status).toBe(401);
  });
});
