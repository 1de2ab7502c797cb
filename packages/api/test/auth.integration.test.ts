import { sessionModel, tenantContext, userModel, type TenantRow, type UserRow } from "@sigil/db";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { apiKeyUsage } from "../src/auth/usage-recorder.ts";
import { call, createTenantWithUsers, login, TEST_PASSWORD, useTestEnv, type TestEnv } from "./harness.ts";

let env: TestEnv;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  await createTenantWithUsers("globex");
});
afterAll(() => env.cleanup());
afterEach(() => vi.useRealTimers());

const loginAs = (email: string, password: string) => call("mutation", "auth.login", { email, password }, { tenant: "acme" });

describe("sign-in lockout", () => {
  test("5 failures lock the account for 30 minutes; the right password is refused meanwhile; then it unlocks", async () => {
    const email = "user@acme.test";
    for (let i = 0; i < 4; i += 1) {
      const failed = await loginAs(email, "wrong-password");
      expect(failed.status).toBe(401);
      expect(failed.error?.message).toBe("Invalid email or password.");
    }
    expect((await loginAs(email, "wrong-password")).status).toBe(401);
    const locked = await loginAs(email, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.error?.message).toMatch(/Try again in 30 minutes/);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31 * 60_000 });
    const unlocked = await loginAs(email, TEST_PASSWORD);
    expect(unlocked.status).toBe(200);
  });

  test("an unknown email gets the same message, the same lock, and a similar response time", async () => {
    const timeOf = async (email: string) => {
      const started = performance.now();
      const result = await loginAs(email, "wrong-password");
      return { result, ms: performance.now() - started };
    };
    const known = await timeOf("viewer@acme.test");
    const unknown = await timeOf("nobody@acme.test");
    expect(unknown.result.error?.message).toBe(known.result.error?.message);
    expect(unknown.result.status).toBe(known.result.status);
    // Both run one scrypt: neither answers in a fraction of the other's time.
    expect(unknown.ms).toBeGreaterThan(known.ms / 4);
    for (let i = 0; i < 4; i += 1) await loginAs("nobody@acme.test", "wrong-password");
    const locked = await loginAs("nobody@acme.test", "wrong-password");
    expect(locked.status).toBe(429);
  });

  test("an admin's reactivate clears a lock", async () => {
    const locked = await tenantContext.runWithTenant(acme.tenant.id, async () => {
      const hash = (await userModel.findById(acme.users.admin.id))?.passwordHash ?? null;
      return userModel.create({ email: "locked@acme.test", name: "L", role: "user", status: "active", passwordHash: hash });
    });
    for (let i = 0; i < 5; i += 1) await loginAs("locked@acme.test", "wrong-password");
    expect((await loginAs("locked@acme.test", TEST_PASSWORD)).status).toBe(429);
    const adminCookie = await login("acme", "admin@acme.test");
    const reactivated = await call("mutation", "users.reactivate", { id: locked.id }, { tenant: "acme", cookie: adminCookie });
    expect(reactivated.error).toBeUndefined();
    expect((await loginAs("locked@acme.test", TEST_PASSWORD)).status).toBe(200);
  });
});

describe("sessions", () => {
  test("the session cookie is HttpOnly, SameSite=Lax, host-only, and path-scoped in path-prefix mode", async () => {
    const byHost = await call("mutation", "auth.login", { email: "admin@acme.test", password: TEST_PASSWORD }, { tenant: "acme" });
    const cookie = byHost.setCookies.find((c) => c.startsWith("sigil_session="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    const byPath = await call(
      "mutation",
      "auth.login",
      { email: "admin@acme.test", password: TEST_PASSWORD },
      { host: "localhost:3000", pathPrefix: "/tenant/acme" },
    );
    expect(byPath.setCookies.find((c) => c.startsWith("sigil_session="))).toMatch(/Path=\/tenant\/acme;/);
  });

  test("an expired session is refused with 401 and removed", async () => {
    const cookie = await login("acme", "viewer@acme.test");
    expect((await call("query", "auth.me", undefined, { tenant: "acme", cookie })).status).toBe(200);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 8 * 24 * 3_600_000 });
    const expired = await call("query", "auth.me", undefined, { tenant: "acme", cookie });
    expect(expired.status).toBe(401);
    expect(expired.error?.message).toMatch(/expired/);
  });

  test("logout ends the session", async () => {
    const cookie = await login("acme", "viewer@acme.test");
    const out = await call("mutation", "auth.logout", undefined, { tenant: "acme", cookie });
    expect(out.setCookies.some((c) => c.startsWith("sigil_session=;") && /Max-Age=0/.test(c))).toBe(true);
    expect((await call("query", "auth.me", undefined, { tenant: "acme", cookie })).status).toBe(401);
  });

  test("changing the password ends the other sessions", async () => {
    const first = await login("acme", "user@acme.test");
    const second = await login("acme", "user@acme.test");
    const changed = await call(
      "mutation",
      "auth.changePassword",
      { currentPassword: TEST_PASSWORD, newPassword: "another-long-password" },
      { tenant: "acme", cookie: second },
    );
    expect(changed.error).toBeUndefined();
    expect((await call("query", "auth.me", undefined, { tenant: "acme", cookie: first })).status).toBe(401);
    expect((await call("query", "auth.me", undefined, { tenant: "acme", cookie: second })).status).toBe(200);
    const wrong = await call(
      "mutation",
      "auth.changePassword",
      { currentPassword: "nope-nope-nope", newPassword: "yet-another-password" },
      { tenant: "acme", cookie: second },
    );
    expect(wrong.status).toBe(400);
    await call("mutation", "auth.changePassword", { currentPassword: "another-long-password", newPassword: TEST_PASSWORD }, { tenant: "acme", cookie: second });
  });
});

describe("cross-site requests", () => {
  test("a cookie-authenticated mutation from another origin, or with no Origin, is refused", async () => {
    const cookie = await login("acme", "admin@acme.test");
    const input = { email: "csrf@acme.test", name: "CSRF", role: "admin" };
    const evil = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.error?.message).toMatch(/Cross-site request refused/);
    const sibling = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: "http://globex.localhost" });
    expect(sibling.status).toBe(403);
    const none = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: null });
    expect(none.status).toBe(403);
    const created = await tenantContext.runWithTenant(acme.tenant.id, () => userModel.findByEmail("csrf@acme.test"));
    expect(created).toBeNull();
    const same = await call("mutation", "users.invite", input, { tenant: "acme", cookie });
    expect(same.status).toBe(200);
  });

  test("a login posted from another site is refused", async () => {
    const result = await call(
      "mutation",
      "auth.login",
      { email: "admin@acme.test", password: TEST_PASSWORD },
      { tenant: "acme", origin: "http://evil.example" },
    );
    expect(result.status).toBe(403);
    expect(result.setCookies).toEqual([]);
  });
});

describe("API keys", () => {
  async function createKey(scopes: string[]): Promise<{ plainKey: string; key: { id: string } }> {
    const cookie = await login("acme", "admin@acme.test");
    const created = await call<{ plainKey: string; key: { id: string } }>("mutation", "apiKeys.create", { name: "ci", scopes }, { tenant: "acme", cookie });
    if (!created.data) throw new Error(created.error?.message);
    return created.data;
  }

  test("a key with a scope works for that scope only; operations without a scope need a signed-in user", async () => {
    const { plainKey } = await createKey(["prompts:read"]);
    const me = await call<{ via: string; scopes: string[] }>("query", "auth.me", undefined, { tenant: "acme", apiKey: plainKey });
    expect(me.data).toMatchObject({ via: "apiKey", scopes: ["prompts:read"] });
    const users = await call("query", "users.list", {}, { tenant: "acme", apiKey: plainKey });
    expect(users.status).toBe(403);
    expect(users.error?.message).toMatch(/signed-in user/);
  });

  test("a revoked key is refused with 401; usage is recorded", async () => {
    const { plainKey, key } = await createKey(["prompts:read"]);
    expect((await call("query", "auth.me", undefined, { tenant: "acme", apiKey: plainKey })).status).toBe(200);
    await apiKeyUsage.flush();
    const adminCookie = await login("acme", "admin@acme.test");
    const listed = await call<{ id: string; usageCount: number; lastUsedAt: Date | null }[]>("query", "apiKeys.list", undefined, {
      tenant: "acme",
      cookie: adminCookie,
    });
    const entry = listed.data?.find((k) => k.id === key.id);
    expect(entry?.usageCount).toBe(1);
    expect(entry?.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed.data)).not.toContain(plainKey.split("_").slice(2).join("_"));
    await call("mutation", "apiKeys.revoke", { id: key.id }, { tenant: "acme", cookie: adminCookie });
    const revoked = await call("query", "auth.me", undefined, { tenant: "acme", apiKey: plainKey });
    expect(revoked.status).toBe(401);
    expect(revoked.error?.message).toMatch(/revoked/);
  });

  test("a key used on another tenant → 403; a tampered secret → 401", async () => {
    const { plainKey } = await createKey(["prompts:read"]);
    expect((await call("query", "auth.me", undefined, { tenant: "globex", apiKey: plainKey })).status).toBe(403);
    const tampered = `${plainKey.slice(0, -1)}${plainKey.endsWith("A") ? "B" : "A"}`;
    expect((await call("query", "auth.me", undefined, { tenant: "acme", apiKey: tampered })).status).toBe(401);
  });

  test("an expired key → 401", async () => {
    const cookie = await login("acme", "admin@acme.test");
    const created = await call<{ plainKey: string }>(
      "mutation",
      "apiKeys.create",
      { name: "short", scopes: ["prompts:read"], expiresInDays: 1 },
      { tenant: "acme", cookie },
    );
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 86_400_000 });
    const result = await call("query", "auth.me", undefined, { tenant: "acme", apiKey: created.data?.plainKey ?? "" });
    expect(result.status).toBe(401);
    expect(result.error?.message).toMatch(/expired/);
  });
});

describe("roles", () => {
  test("a viewer or a user cannot perform an admin's writes; the server refuses and writes nothing", async () => {
    for (const email of ["viewer@acme.test", "user@acme.test"]) {
      const cookie = await login("acme", email);
      const invite = await call("mutation", "users.invite", { email: "sneaky@acme.test", name: "S", role: "admin" }, { tenant: "acme", cookie });
      expect(invite.status).toBe(403);
      expect(invite.error?.message).toMatch(/needs the admin role/);
      const provider = await call(
        "mutation",
        "settings.saveProvider",
        { identifier: "openai", baseUrl: "https://api.example.com/v1", apiKey: "k", defaultModel: "m" },
        { tenant: "acme", cookie },
      );
      expect(provider.status).toBe(403);
    }
    expect(await tenantContext.runWithTenant(acme.tenant.id, () => userModel.findByEmail("sneaky@acme.test"))).toBeNull();
  });

  test("a deactivated user's sessions end at once", async () => {
    const cookie = await login("acme", "viewer@acme.test");
    const adminCookie = await login("acme", "admin@acme.test");
    await call("mutation", "users.deactivate", { id: acme.users.viewer.id }, { tenant: "acme", cookie: adminCookie });
    expect((await call("query", "auth.me", undefined, { tenant: "acme", cookie })).status).toBe(401);
    expect(await tenantContext.runWithTenant(acme.tenant.id, () => sessionModel.count({ userId: acme.users.viewer.id }))).toBe(0);
    await call("mutation", "users.reactivate", { id: acme.users.viewer.id }, { tenant: "acme", cookie: adminCookie });
  });
});
