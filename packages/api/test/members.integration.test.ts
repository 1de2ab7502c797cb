import { settingsModel, tenantContext, tenantModel, userModel, type TenantRow, type UserRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, cookieFrom, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";

let env: TestEnv;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
let adminCookie: string;
beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  adminCookie = await login("acme", "admin@acme.test");
});
afterAll(() => env.cleanup());

const asAdmin = <T>(type: "query" | "mutation", path: string, input?: unknown) => call<T>(type, path, input, { tenant: "acme", cookie: adminCookie });

describe("users", () => {
  test("invite → the invitation link signs the new user in with the invited role", async () => {
    const invited = await asAdmin<{ user: { id: string; status: string }; invitationToken: string }>("mutation", "users.invite", {
      email: "New@Acme.test",
      name: "Newcomer",
      role: "user",
    });
    expect(invited.data?.user.status).toBe("pending");
    const token = invited.data?.invitationToken ?? "";
    const unknownTenant = await call("mutation", "auth.acceptInvitation", { token, password: "a-long-password" }, { tenant: "globex-none" });
    expect(unknownTenant.status).toBe(404);
    const accepted = await call<{ user: { email: string; role: string; status: string } }>(
      "mutation",
      "auth.acceptInvitation",
      { token, password: "a-long-password" },
      { tenant: "acme" },
    );
    expect(accepted.data?.user).toMatchObject({ email: "new@acme.test", role: "user", status: "active" });
    const cookie = cookieFrom(accepted.setCookies);
    expect((await call("query", "auth.me", undefined, { tenant: "acme", cookie })).status).toBe(200);
    const again = await call("mutation", "auth.acceptInvitation", { token, password: "a-long-password" }, { tenant: "acme" });
    expect(again.status).toBe(404);
  });

  test("a revoked invitation (deactivated before accepting) is renewed by inviting again; reactivating it is refused", async () => {
    const first = await asAdmin<{ user: { id: string }; invitationToken: string }>("mutation", "users.invite", {
      email: "late@acme.test",
      name: "Late",
      role: "viewer",
    });
    const id = first.data?.user.id ?? "";
    expect((await asAdmin("mutation", "users.deactivate", { id })).status).toBe(200);
    const reactivate = await asAdmin("mutation", "users.reactivate", { id });
    expect(reactivate.status).toBe(400);
    expect(reactivate.error?.message).toMatch(/never accepted the invitation\. Invite them again/);
    const again = await asAdmin<{ user: { id: string; status: string; role: string }; invitationToken: string }>("mutation", "users.invite", {
      email: "late@acme.test",
      name: "Late",
      role: "user",
    });
    expect(again.data?.user).toMatchObject({ id, status: "pending", role: "user" });
    // The old link is dead, the new one works.
    expect(
      (await call("mutation", "auth.acceptInvitation", { token: first.data?.invitationToken ?? "", password: "a-long-password" }, { tenant: "acme" })).status,
    ).toBe(404);
    const accepted = await call(
      "mutation",
      "auth.acceptInvitation",
      { token: again.data?.invitationToken ?? "", password: "a-long-password" },
      { tenant: "acme" },
    );
    expect(accepted.status).toBe(200);
    // An active member with that email is a conflict again.
    expect((await asAdmin("mutation", "users.invite", { email: "late@acme.test", name: "Late", role: "user" })).status).toBe(409);
  });

  test("inviting an existing email is a conflict; bad input is a 400 naming the field", async () => {
    expect((await asAdmin("mutation", "users.invite", { email: "user@acme.test", name: "Dup", role: "user" })).status).toBe(409);
    const bad = await asAdmin("mutation", "users.invite", { email: "not-an-email", name: "", role: "owner" });
    expect(bad.status).toBe(400);
    expect(bad.error?.message).toMatch(/email/);
    expect(bad.error?.data.zodError).toBeTruthy();
  });

  test("role changes are audited; the last active admin can be neither demoted nor deactivated", async () => {
    const changed = await asAdmin<{ role: string }>("mutation", "users.updateRole", { id: acme.users.viewer.id, role: "user" });
    expect(changed.data?.role).toBe("user");
    const demoteSelf = await asAdmin("mutation", "users.updateRole", { id: acme.users.admin.id, role: "viewer" });
    expect(demoteSelf.status).toBe(400);
    expect(demoteSelf.error?.message).toMatch(/last active admin/);
    const log = await tenantContext.runWithTenant(acme.tenant.id, async () => {
      const { auditLogModel } = await import("@sigil/db");
      return auditLogModel.findMany({ where: { action: "user.role_changed" } });
    });
    expect(log.some((entry) => entry.targetId === acme.users.viewer.id)).toBe(true);
    expect((await asAdmin("mutation", "users.deactivate", { id: acme.users.admin.id })).status).toBe(400);
    expect((await asAdmin("mutation", "users.updateRole", { id: "5f0c6a52-1d2b-4c55-9f5e-0a7d3c2b1e44", role: "user" })).status).toBe(404);
  });

  test("list never exposes password hashes, invitation tokens or lock counters", async () => {
    const listed = await asAdmin<Record<string, unknown>[]>("query", "users.list", {});
    expect(listed.data?.length).toBeGreaterThan(2);
    const text = JSON.stringify(listed.data);
    expect(text).not.toMatch(/scrypt|passwordHash|invitationTokenHash|failedLoginCount/);
  });
});

describe("the users quota", () => {
  test("50 parallel invites at limit − 1: exactly one succeeds, the rest name the limit", async () => {
    const { tenant } = await createTenantWithUsers("seats");
    const seats = await tenantContext.runWithTenant(tenant.id, () => userModel.countSeats());
    await tenantModel.update(tenant.id, { limitUsers: seats + 1 });
    const cookie = await login("seats", "admin@seats.test");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call<{ user: { id: string } }>("mutation", "users.invite", { email: `p${i}@seats.test`, name: `P${i}`, role: "viewer" }, { tenant: "seats", cookie }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 403);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(refused[0]?.error?.message).toMatch(/allows 4 users and 4 are active or invited/);
    expect(refused[0]?.error?.data.quota).toEqual({ resource: "users", limit: seats + 1, current: seats + 1 });
    expect(await tenantContext.runWithTenant(tenant.id, () => userModel.countSeats())).toBe(seats + 1);
  });
});

describe("settings", () => {
  test("provider credentials are stored but never returned in plain after saving", async () => {
    const secret = "sk-live-very-secret-value-1234";
    const saved = await asAdmin<{ apiKeySet: boolean; apiKeyHint: string | null }>("mutation", "settings.saveProvider", {
      identifier: "openai",
      baseUrl: "https://api.example.com/v1",
      apiKey: secret,
      defaultModel: "gpt-test",
    });
    expect(saved.data).toMatchObject({ apiKeySet: true, apiKeyHint: "…1234" });
    const listed = await asAdmin<{ providers: unknown[] }>("query", "settings.list");
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    // Saving again without a key keeps the stored one.
    await asAdmin("mutation", "settings.saveProvider", { identifier: "openai", baseUrl: "https://api.example.com/v2", defaultModel: "gpt-test" });
    const stored = await tenantContext.runWithTenant(acme.tenant.id, () => settingsModel.get("provider", "openai"));
    // Stored encrypted (packages/db/src/secrets), readable only through the model.
    expect(stored?.payload).toMatchObject({ baseUrl: "https://api.example.com/v2", apiKeyHint: "…1234" });
    expect(JSON.stringify(stored?.payload)).not.toContain(secret);
    const revealed = stored && (await tenantContext.runWithTenant(acme.tenant.id, () => settingsModel.revealSecret(stored, "apiKey")));
    expect(revealed).toBe(secret);
  });

  test("a new provider needs a key (but for local servers); bad URLs and identifiers are refused", async () => {
    expect(
      (await asAdmin("mutation", "settings.saveProvider", { identifier: "other", kind: "openai", baseUrl: "https://x.example", defaultModel: "m" })).status,
    ).toBe(400);
    expect(
      (await asAdmin("mutation", "settings.saveProvider", { identifier: "other", kind: "anthropic", baseUrl: "https://x.example", defaultModel: "m" })).status,
    ).toBe(400);
    expect(
      (await asAdmin("mutation", "settings.saveProvider", { identifier: "other", baseUrl: "ftp://x.example", apiKey: "k", defaultModel: "m" })).status,
    ).toBe(400);
    expect(
      (await asAdmin("mutation", "settings.saveProvider", { identifier: "../x", baseUrl: "https://x.example", apiKey: "k", defaultModel: "m" })).status,
    ).toBe(400);
  });

  test("webhooks are saved, listed and deleted", async () => {
    const saved = await asAdmin("mutation", "settings.saveWebhook", { identifier: "ops", url: "https://hooks.example/x", events: ["execution.failed"] });
    expect(saved.error).toBeUndefined();
    expect((await asAdmin<{ webhooks: { identifier: string }[] }>("query", "settings.list")).data?.webhooks.map((w) => w.identifier)).toEqual(["ops"]);
    expect((await asAdmin("mutation", "settings.delete", { type: "webhook", identifier: "ops" })).status).toBe(200);
    expect((await asAdmin("mutation", "settings.delete", { type: "webhook", identifier: "ops" })).status).toBe(404);
  });
});
