import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import {
  adminAuditLogModel,
  apiKeyModel,
  adminSignInKey,
  auditLogModel,
  executionModel,
  fileModel,
  hashPassword,
  promptModel,
  refreshDatabaseSizes,
  signInLockedUntil,
  systemAdminModel,
  systemAdminSessionModel,
  systemApiKeyModel,
  tenantContext,
  tenantModel,
  userModel,
  type SystemAdminRow,
  type TenantRow,
} from "@sigil/db";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { generateApiKey } from "../src/auth/api-key-format.ts";
import { AdminBootstrapError, ensureSystemAdmin } from "../src/services/bootstrap-admin.ts";
import { call, cookieFrom, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";
import type { TenantWithUsage } from "../src/services/tenant-usage.ts";

const ADMIN_HOST = "admin.localhost";
const ADMIN_EMAIL = "root@sigil.test";
const ADMIN_PASSWORD = "admin-password-for-tests";
const ADMIN_COOKIE = "sigil_admin_session";

/** What tenants.list returns per tenant (the API's own type). */
type ListedTenant = TenantWithUsage;
interface ListPage {
  tenants: ListedTenant[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

let env: TestEnv;
let admin: SystemAdminRow;
let adminCookie: string;
let acme: TenantRow;
let acmeCookie: string;
let acmeApiKey: string;

/** Calls a procedure on the admin host with the signed-in administrator's cookie. */
function asAdmin<T>(type: "query" | "mutation", path: string, input?: unknown, options: CallOptions = {}): Promise<CallResult<T>> {
  return call<T>(type, path, input, { host: ADMIN_HOST, cookie: adminCookie, ...options });
}

function ok<T>(result: CallResult<T>): T {
  if (result.error !== undefined || result.data === undefined) {
    throw new Error(`expected success, got ${result.status}: ${result.error?.message ?? "no data"}`);
  }
  return result.data;
}

function tenantFiles(tenantId: string): string[] {
  return readdirSync(env.dataDir).filter((name) => name.includes(tenantId));
}

function newTenantInput(slug: string, owner: { email: string; name: string; password?: string }) {
  return {
    name: `Workspace ${slug}`,
    slug,
    plan: "pro" as const,
    settings: { features: ["files"], limits: { users: 10, storage: 100, executions_per_month: 1_000 } },
    owner,
  };
}

interface CreatedTenant {
  tenant: { id: string; slug: string; status: string; plan: string; settings: { domain: string | null; features: string[]; limits: { users: number } } };
  owner: { id: string; email: string; status: string; role: string };
  invitation: { token: string; expiresAt: Date } | null;
}

beforeAll(async () => {
  env = await useTestEnv();
  admin = await systemAdminModel.create({ email: ADMIN_EMAIL, name: "Root", passwordHash: await hashPassword(ADMIN_PASSWORD) });
  const login = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: ADMIN_HOST });
  expect(login.error).toBeUndefined();
  adminCookie = cookieFrom(login.setCookies, ADMIN_COOKIE);
  ({ tenant: acme } = await createTenantWithUsers("acme"));
  acmeCookie = await loginAcme();
  const key = generateApiKey("tenant");
  await tenantContext.runWithTenant(acme.id, async () => {
    const owner = await userModel.findByEmail("admin@acme.test");
    if (!owner) throw new Error("no acme admin");
    await apiKeyModel.create({ userId: owner.id, name: "ci", keyId: key.keyId, secretHash: key.secretHash, scopes: ["prompts:read"] });
  });
  acmeApiKey = key.plain;
});
afterAll(() => env.cleanup());
afterEach(() => vi.restoreAllMocks());

const loginAcme = () => login("acme", "admin@acme.test");

describe("admin sign-in", () => {
  test("sets an HttpOnly, SameSite=Lax, host-only cookie and stores only the token's hash", async () => {
    const result = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: ADMIN_HOST });
    expect(result.error).toBeUndefined();
    const setCookie = result.setCookies.find((c) => c.startsWith(`${ADMIN_COOKIE}=`)) ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const token = decodeURIComponent(cookieFrom(result.setCookies, ADMIN_COOKIE).split("=")[1] ?? "");
    const sessions = await systemAdminSessionModel.findMany({ where: { adminId: admin.id } });
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.some((s) => s.tokenHash === token)).toBe(false);
    const me = await asAdmin<{ admin: Record<string, unknown> }>("query", "admin.me", undefined, { cookie: cookieFrom(result.setCookies, ADMIN_COOKIE) });
    expect(ok(me).admin.email).toBe(ADMIN_EMAIL);
    expect(ok(me).admin).not.toHaveProperty("passwordHash");
  });

  test("wrong password and unknown email get the same 401 message", async () => {
    const wrong = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: "not-the-password" }, { host: ADMIN_HOST });
    const unknown = await call("mutation", "admin.login", { email: "nobody@sigil.test", password: "not-the-password" }, { host: ADMIN_HOST });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.error?.message).toBe(unknown.error?.message);
    expect(wrong.setCookies).toEqual([]);
    // The successful sign-in resets the failure counter.
    ok(await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: ADMIN_HOST }));
    expect(await signInLockedUntil(adminSignInKey(ADMIN_EMAIL))).toBeNull();
  });

  test("5 failures lock known and unknown emails alike for 30 minutes", async () => {
    const locked = await systemAdminModel.create({ email: "lockme@sigil.test", name: "Lock", passwordHash: await hashPassword(ADMIN_PASSWORD) });
    for (const email of [locked.email, "ghost@sigil.test"]) {
      for (let i = 0; i < 5; i += 1) {
        const failed = await call("mutation", "admin.login", { email, password: "wrong-password" }, { host: ADMIN_HOST });
        expect(failed.status).toBe(401);
      }
    }
    const known = await call("mutation", "admin.login", { email: locked.email, password: ADMIN_PASSWORD }, { host: ADMIN_HOST });
    const unknown = await call("mutation", "admin.login", { email: "ghost@sigil.test", password: ADMIN_PASSWORD }, { host: ADMIN_HOST });
    expect(known.status).toBe(429);
    expect(unknown.status).toBe(429);
    expect(known.error?.message).toBe(unknown.error?.message);
    expect(known.error?.message).toMatch(/Try again in 30 minutes/);
    for (const email of [locked.email, "ghost@sigil.test"]) {
      expect((await signInLockedUntil(adminSignInKey(email)))?.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
    }
  });

  test("a cross-site login is refused", async () => {
    const result = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: ADMIN_HOST, origin: "http://evil.example" });
    expect(result.status).toBe(403);
    expect(result.setCookies).toEqual([]);
  });

  test("logout ends the session", async () => {
    const result = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: ADMIN_HOST });
    const cookie = cookieFrom(result.setCookies, ADMIN_COOKIE);
    expect(ok(await asAdmin("mutation", "admin.logout", undefined, { cookie }))).toEqual({ ok: true });
    const after = await asAdmin("query", "admin.me", undefined, { cookie });
    expect(after.status).toBe(401);
  });

  test("login is only on the admin host", async () => {
    const onTenant = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: "acme.localhost" });
    expect(onTenant.status).toBe(403);
    const onRoot = await call("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host: "localhost" });
    expect(onRoot.status).toBe(403);
  });
});

describe("who may call system-admin procedures", () => {
  const procedures: [type: "query" | "mutation", path: string, input: unknown][] = [
    ["query", "admin.me", undefined],
    ["query", "admin.stats", undefined],
    ["query", "admin.migrationStatus", undefined],
    ["query", "maintenance.list", undefined],
    ["mutation", "maintenance.start", { kind: "health" }],
    ["query", "tenants.list", undefined],
    ["mutation", "tenants.suspend", { id: "00000000-0000-4000-8000-000000000000" }],
  ];

  test.each(procedures)("%s %s is refused on a tenant host and on the root host (403)", async (type, path, input) => {
    for (const host of ["acme.localhost", "localhost"]) {
      const result = await call(type, path, input, { host, cookie: adminCookie });
      expect(result.status).toBe(403);
      expect(result.error?.message).toMatch(/only on admin\.localhost/);
    }
  });

  test.each(procedures)("%s %s without a session is 401", async (type, path, input) => {
    const result = await call(type, path, input, { host: ADMIN_HOST });
    expect(result.status).toBe(401);
  });

  test("a tenant user's session cookie is no system-admin session (401)", async () => {
    const result = await call("query", "tenants.list", undefined, { host: ADMIN_HOST, cookie: acmeCookie });
    expect(result.status).toBe(401);
  });

  test("a tenant API key is refused on the admin host (403)", async () => {
    const result = await call("query", "tenants.list", undefined, { host: ADMIN_HOST, apiKey: acmeApiKey });
    expect(result.status).toBe(403);
  });

  test("a forged admin cookie is 401", async () => {
    const result = await call("query", "admin.me", undefined, { host: ADMIN_HOST, cookie: `${ADMIN_COOKIE}=forged-token-value` });
    expect(result.status).toBe(401);
  });

  test("a cookie-authenticated mutation from another origin is refused", async () => {
    const result = await asAdmin("mutation", "tenants.suspend", { id: acme.id }, { origin: "http://acme.localhost" });
    expect(result.status).toBe(403);
    expect((await tenantModel.findById(acme.id))?.status).toBe("active");
  });
});

describe("tenants", () => {
  test("create with a password: the owner is an active admin who can sign in", async () => {
    const created = ok(
      await asAdmin<CreatedTenant>(
        "mutation",
        "tenants.create",
        newTenantInput("initech", { email: "Owner@Initech.test", name: "Bill", password: "initech-password" }),
      ),
    );
    expect(created.tenant).toMatchObject({
      slug: "initech",
      status: "active",
      plan: "pro",
      settings: { domain: null, features: ["files"], limits: { users: 10 } },
    });
    expect(created.owner).toMatchObject({ email: "owner@initech.test", status: "active", role: "admin" });
    expect(created.invitation).toBeNull();
    expect(existsSync(env.manager.tenantDatabasePath(created.tenant.id))).toBe(true);
    await login("initech", "owner@initech.test", "initech-password");
    const audit = await adminAuditLogModel.findMany({ where: { tenantId: created.tenant.id, action: "tenant.created" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.adminId).toBe(admin.id);
  });

  test("create without a password: the owner is invited, the token is returned once and works", async () => {
    const created = ok(await asAdmin<CreatedTenant>("mutation", "tenants.create", newTenantInput("hooli", { email: "gavin@hooli.test", name: "Gavin" })));
    expect(created.owner.status).toBe("pending");
    expect(created.invitation?.token).toEqual(expect.any(String));
    expect(created.invitation?.expiresAt).toBeInstanceOf(Date);
    const stored = await tenantContext.runWithTenant(created.tenant.id, () => userModel.findByEmail("gavin@hooli.test"));
    expect(stored?.invitationTokenHash).not.toBe(created.invitation?.token);
    const accepted = await call<{ user: { status: string } }>(
      "mutation",
      "auth.acceptInvitation",
      { token: created.invitation?.token, password: "hooli-password-1" },
      { tenant: "hooli" },
    );
    expect(ok(accepted).user.status).toBe("active");
  });

  test("create with a taken slug is a CONFLICT and creates nothing", async () => {
    const before = { tenants: await tenantModel.count(), files: readdirSync(env.dataDir).length };
    const result = await asAdmin(
      "mutation",
      "tenants.create",
      newTenantInput("acme", { email: "intruder@acme.test", name: "Intruder", password: "intruder-password" }),
    );
    expect(result.status).toBe(409);
    expect(result.error?.data.code).toBe("CONFLICT");
    expect(await tenantModel.count()).toBe(before.tenants);
    expect(readdirSync(env.dataDir).length).toBe(before.files);
    const intruder = await tenantContext.runWithTenant(acme.id, () => userModel.findByEmail("intruder@acme.test"));
    expect(intruder).toBeNull();
  });

  test.each(["../etc", "Acme", "admin", "a b", "-acme", "acme.evil", "x".repeat(51), ""])("create with the hostile slug %j is BAD_REQUEST", async (slug) => {
    const before = await tenantModel.count();
    const result = await asAdmin("mutation", "tenants.create", newTenantInput(slug, { email: "o@x.test", name: "O", password: "some-password" }));
    expect(result.status).toBe(400);
    expect(result.error?.data.code).toBe("BAD_REQUEST");
    expect(await tenantModel.count()).toBe(before);
  });

  test("if the owner cannot be created, the tenant is removed again", async () => {
    vi.spyOn(userModel, "createWithinSeatLimit").mockRejectedValueOnce(new Error("disk on fire"));
    const before = readdirSync(env.dataDir).length;
    const result = await asAdmin("mutation", "tenants.create", newTenantInput("halfmade", { email: "o@halfmade.test", name: "O", password: "some-password" }));
    expect(result.status).toBe(500);
    expect(result.error?.message).not.toMatch(/disk on fire/);
    expect(await tenantModel.findBySlug("halfmade")).toBeNull();
    expect(readdirSync(env.dataDir).length).toBe(before);
  });

  test("a custom domain under the root domain is refused; a taken one is a CONFLICT", async () => {
    const under = await asAdmin("mutation", "tenants.create", {
      ...newTenantInput("rooted", { email: "o@rooted.test", name: "O", password: "some-password" }),
      settings: { domain: "rooted.localhost", features: [], limits: { users: 5, storage: 100, executions_per_month: 100 } },
    });
    expect(under.status).toBe(400);
    ok(await asAdmin("mutation", "tenants.update", { id: acme.id, settings: { domain: "prompts.acme.example" } }));
    const taken = await asAdmin("mutation", "tenants.create", {
      ...newTenantInput("copycat", { email: "o@copycat.test", name: "O", password: "some-password" }),
      settings: { domain: "prompts.acme.example", features: [], limits: { users: 5, storage: 100, executions_per_month: 100 } },
    });
    expect(taken.status).toBe(409);
    expect(await tenantModel.findBySlug("copycat")).toBeNull();
    // The custom domain now resolves to acme.
    const me = await call<{ tenant: { slug: string } }>("query", "auth.me", undefined, { host: "prompts.acme.example", apiKey: acmeApiKey });
    expect(ok(me).tenant.slug).toBe("acme");
    ok(await asAdmin("mutation", "tenants.update", { id: acme.id, settings: { domain: null } }));
  });

  test("getById returns the seed's shape with usage; unknown ids are NOT_FOUND", async () => {
    const doc = ok(await asAdmin<Record<string, unknown> & { usage: Record<string, unknown> }>("query", "tenants.getById", { id: acme.id }));
    expect(doc).toMatchObject({
      id: acme.id,
      name: acme.name,
      slug: "acme",
      status: "active",
      plan: "pro",
      settings: { domain: null, features: ["deployments", "files"], limits: { users: 50, storage: 100, executions_per_month: 1000 } },
      billing: { subscription_id: null, current_period_end: null },
    });
    expect(doc.created_at).toBeInstanceOf(Date);
    expect(doc.usage).toMatchObject({ users: 3, storageBytes: 0, executionsThisMonth: 0, unavailable: null, schema: { state: "up_to_date" } });
    // From the control plane: getById opens no tenant file.
    env.manager.closeTenantDatabase(acme.id);
    const acquire = vi.spyOn(env.manager, "acquireTenantDatabase");
    ok(await asAdmin("query", "tenants.getById", { id: acme.id }));
    expect(acquire).not.toHaveBeenCalled();
    expect(env.manager.isTenantOpen(acme.id)).toBe(false);
    const missing = await asAdmin("query", "tenants.getById", { id: "00000000-0000-4000-8000-000000000000" });
    expect(missing.status).toBe(404);
  });

  test("features: a name Sigil does not have (webhooks) is a 400 naming it, on create and update; nothing is stored", async () => {
    const created = await asAdmin("mutation", "tenants.create", {
      ...newTenantInput("hooked", { email: "owner@hooked.test", name: "Owner" }),
      settings: { features: ["files", "webhooks"], limits: { users: 10, storage: 100, executions_per_month: 1_000 } },
    });
    expect(created.status).toBe(400);
    expect(created.error?.message).toMatch(/Sigil has no "webhooks" feature; the features are deployments and files/);
    expect(await tenantModel.findBySlug("hooked")).toBeNull();
    const { tenant } = await createTenantWithUsers("hooks-update");
    const updated = await asAdmin("mutation", "tenants.update", { id: tenant.id, settings: { features: ["webhooks"] } });
    expect(updated.status).toBe(400);
    expect(updated.error?.message).toMatch(/Sigil has no "webhooks" feature/);
    const twice = await asAdmin("mutation", "tenants.update", { id: tenant.id, settings: { features: ["files", "files"] } });
    expect(twice.status).toBe(400);
    expect(twice.error?.message).toMatch(/Name each feature once/);
    expect((await tenantModel.findById(tenant.id))?.features).toEqual(["deployments", "files"]);
  });

  test("update changes name, plan, status, features, limits and domain; records the changes", async () => {
    const { tenant } = await createTenantWithUsers("umbrella");
    const updated = ok(
      await asAdmin<{ name: string; plan: string; settings: { domain: string | null; features: string[]; limits: Record<string, number> } }>(
        "mutation",
        "tenants.update",
        {
          id: tenant.id,
          name: "Umbrella Corp",
          plan: "enterprise",
          settings: { domain: "Prompts.Umbrella.Example", features: ["deployments"], limits: { users: 7 } },
        },
      ),
    );
    expect(updated).toMatchObject({
      name: "Umbrella Corp",
      plan: "enterprise",
      settings: { domain: "prompts.umbrella.example", features: ["deployments"], limits: { users: 7, storage: 100, executions_per_month: 1000 } },
    });
    const conflict = await asAdmin("mutation", "tenants.update", { id: acme.id, settings: { domain: "prompts.umbrella.example" } });
    expect(conflict.status).toBe(409);
    expect(conflict.error?.data.code).toBe("CONFLICT");
    const [entry] = await adminAuditLogModel.findMany({ where: { tenantId: tenant.id, action: "tenant.updated" } });
    expect(entry?.details).toMatchObject({ changes: { name: { from: "Tenant umbrella", to: "Umbrella Corp" }, limitUsers: { from: 50, to: 7 } } });
    // The tenant's own audit log has it too.
    const own = await tenantContext.runWithTenant(tenant.id, () => auditLogModel.findMany({ where: { action: "tenant.updated" } }));
    expect(own).toHaveLength(1);
    expect(own[0]?.actorType).toBe("system_admin");
    const missing = await asAdmin("mutation", "tenants.update", { id: "00000000-0000-4000-8000-000000000000", name: "x" });
    expect(missing.status).toBe(404);
  });

  test("list returns a page of tenants with their usage from the control plane", async () => {
    const { tenant, users } = await createTenantWithUsers("busy");
    await tenantContext.runWithTenant(tenant.id, async () => {
      await fileModel.store({ name: "a.txt", mimeType: "text/plain", content: Buffer.from("hello world"), uploadedBy: users.admin.id });
      const prompt = await promptModel.create({ name: "p", description: "", template: "Hi {{name}}", createdBy: users.admin.id });
      await executionModel.create({ promptId: prompt.id, promptVersion: 1, input: {}, provider: "template", model: "mustache" });
      await userModel.create({ email: "pending@busy.test", name: "Pending", role: "viewer", status: "pending" });
      await userModel.create({ email: "gone@busy.test", name: "Gone", role: "viewer", status: "inactive" });
    });
    ok(await asAdmin("mutation", "tenants.suspend", { id: tenant.id })); // an audit entry in the tenant's log
    const measured = await refreshDatabaseSizes();
    expect(measured.measured).toBe(await tenantModel.count());
    const list = ok(await asAdmin<ListPage>("query", "tenants.list", { pageSize: 100 }));
    expect(list.total).toBe(await tenantModel.count());
    expect(list.tenants.map((t) => t.slug)).toEqual(expect.arrayContaining(["acme", "initech", "hooli", "umbrella", "busy"]));
    const busy = list.tenants.find((t) => t.slug === "busy");
    const path = env.manager.tenantDatabasePath(tenant.id);
    const onDisk = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    expect(busy?.usage).toMatchObject({ users: 4, storageBytes: 11, fileCount: 1, promptCount: 1, executionsThisMonth: 1, unavailable: null });
    expect(busy?.usage.databaseBytes).toBe(onDisk);
    expect(busy?.usage.schema.state).toBe("up_to_date");
    expect(busy?.usage.schema.version).toBe(busy?.usage.schema.latest);
    expect(busy?.usage.lastActivityAt).toBeInstanceOf(Date);
    const suspended = ok(await asAdmin<ListPage>("query", "tenants.list", { status: "suspended" }));
    expect(suspended.tenants.map((t) => t.slug)).toEqual(["busy"]);
    expect(suspended.total).toBe(1);
    ok(await asAdmin("mutation", "tenants.reactivate", { id: tenant.id }));
  });

  test("list shows what the control plane holds even when a tenant's file is gone (the integrity check finds that)", async () => {
    const { tenant } = await createTenantWithUsers("broken");
    env.manager.closeTenantDatabase(tenant.id);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${env.manager.tenantDatabasePath(tenant.id)}${suffix}`, { force: true });
    const list = ok(await asAdmin<ListPage>("query", "tenants.list", { search: "broken" }));
    expect(list.tenants.map((t) => [t.slug, t.usage.users, t.usage.storageBytes])).toEqual([["broken", 3, 0]]);
    ok(await asAdmin("query", "admin.stats"));
    ok(await asAdmin("mutation", "tenants.delete", { id: tenant.id, confirmSlug: "broken" }));
  });

  test("suspend: the tenant's procedures answer FORBIDDEN naming the status; reactivate restores", async () => {
    expect(ok(await call("query", "auth.me", undefined, { tenant: "acme", cookie: acmeCookie }))).toBeDefined();
    const suspended = ok(await asAdmin<{ status: string }>("mutation", "tenants.suspend", { id: acme.id }));
    expect(suspended.status).toBe("suspended");
    for (const options of [{ cookie: acmeCookie }, { apiKey: acmeApiKey }]) {
      const refused = await call("query", "auth.me", undefined, { tenant: "acme", ...options });
      expect(refused.status).toBe(403);
      expect(refused.error?.message).toMatch(/suspended/);
    }
    const signIn = await call("mutation", "auth.login", { email: "admin@acme.test", password: "correct-horse-battery" }, { tenant: "acme" });
    expect(signIn.status).toBe(403);
    expect(signIn.error?.message).toMatch(/suspended/);
    const reactivated = ok(await asAdmin<{ status: string }>("mutation", "tenants.reactivate", { id: acme.id }));
    expect(reactivated.status).toBe("active");
    expect(ok(await call<{ user: { email: string } }>("query", "auth.me", undefined, { tenant: "acme", cookie: acmeCookie })).user.email).toBe(
      "admin@acme.test",
    );
    const actions = (await adminAuditLogModel.findMany({ where: { tenantId: acme.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["tenant.suspended", "tenant.reactivated"]));
  });

  test("delete with a wrong confirmSlug is BAD_REQUEST and the tenant remains", async () => {
    const result = await asAdmin("mutation", "tenants.delete", { id: acme.id, confirmSlug: "acme-corp" });
    expect(result.status).toBe(400);
    expect(result.error?.message).toMatch(/confirm/);
    expect(await tenantModel.findById(acme.id)).not.toBeNull();
    expect(existsSync(env.manager.tenantDatabasePath(acme.id))).toBe(true);
  });

  test("delete removes the tenant, its rows and files; the admin audit keeps the record; the slug is free again", async () => {
    const { tenant } = await createTenantWithUsers("doomed");
    await call("query", "auth.me", undefined, { tenant: "doomed", cookie: await login("doomed", "admin@doomed.test") }); // open its handle, write its WAL
    expect(tenantFiles(tenant.id).length).toBeGreaterThan(0);
    const deletion = ok(
      await asAdmin<{ tenantId: string; removed: { users: number; sessions: number } }>("mutation", "tenants.delete", { id: tenant.id, confirmSlug: "doomed" }),
    );
    expect(deletion.removed).toMatchObject({ users: 3, sessions: 1 });
    expect(tenantFiles(tenant.id)).toEqual([]);
    expect(await tenantModel.findById(tenant.id)).toBeNull();
    expect(await tenantContext.runWithTenant(tenant.id, () => userModel.count())).toBe(0);
    expect((await asAdmin("query", "tenants.getById", { id: tenant.id })).status).toBe(404);
    expect((await call("query", "auth.me", undefined, { tenant: "doomed" })).status).toBe(404);
    const audit = ok(
      await asAdmin<{ data: { action: string; tenantSlug: string | null; details: Record<string, unknown> }[] }>("query", "admin.audit", {
        tenantId: tenant.id,
      }),
    );
    // The fixture registered the tenant directly, so deletion is its only admin action.
    expect(audit.data.map((e) => e.action)).toEqual(["tenant.deleted"]);
    const deleted = audit.data.find((e) => e.action === "tenant.deleted");
    expect(deleted?.tenantSlug).toBe("doomed");
    expect(deleted?.details).toMatchObject({ removed: { users: 3 } });
    const again = await asAdmin<CreatedTenant>(
      "mutation",
      "tenants.create",
      newTenantInput("doomed", { email: "o@doomed.test", name: "O", password: "some-password" }),
    );
    expect(ok(again).tenant.id).not.toBe(tenant.id);
  });
});

describe("admin", () => {
  test("stats: tenants by status and plan, users, executions, storage", async () => {
    const stats = ok(
      await asAdmin<{
        tenants: { total: number; byStatus: Record<string, number>; byPlan: Record<string, number> };
        users: { total: number; seats: number };
        executionsThisMonth: number;
        storageBytes: number;
        databaseBytes: number;
        schemaNotCurrent: number;
      }>("query", "admin.stats"),
    );
    const tenants = await tenantModel.findMany();
    expect(stats.tenants.total).toBe(tenants.length);
    expect(stats.tenants.byStatus).toEqual({
      active: tenants.filter((t) => t.status === "active").length,
      inactive: tenants.filter((t) => t.status === "inactive").length,
      suspended: tenants.filter((t) => t.status === "suspended").length,
    });
    expect(Object.values(stats.tenants.byPlan).reduce((a, b) => a + b, 0)).toBe(tenants.length);
    expect(stats.tenants.byPlan.enterprise).toBe(tenants.filter((t) => t.plan === "enterprise").length);
    expect(stats.users.total).toBeGreaterThanOrEqual(stats.users.seats);
    expect(stats.users.seats).toBeGreaterThan(0);
    // The aggregates equal the sums of what each tenant's own file counts.
    let executions = 0;
    let storage = 0;
    for (const tenant of tenants) {
      await tenantContext.runWithTenant(tenant.id, async () => {
        executions += await executionModel.countThisMonth();
        storage += await fileModel.totalBytes();
      });
    }
    expect(executions).toBeGreaterThanOrEqual(1);
    expect(stats.executionsThisMonth).toBe(executions);
    expect(stats.storageBytes).toBe(storage);
    expect(stats.databaseBytes).toBeGreaterThan(0);
    expect(stats.schemaNotCurrent).toBe(0);
  });

  test("migrationStatus pages every tenant's recorded schema version, filterable by state", async () => {
    type Status = {
      latest: number;
      summary: Record<string, number>;
      total: number;
      totalPages: number;
      tenants: { tenantId: string; slug: string; version: number | null; state: string }[];
    };
    await createTenantWithUsers("schema-second");
    const status = ok(await asAdmin<Status>("query", "admin.migrationStatus"));
    const count = await tenantModel.count();
    expect(status.latest).toBeGreaterThan(0);
    expect(status.total).toBe(count);
    expect(status.tenants.find((t) => t.slug === "acme")).toMatchObject({ tenantId: acme.id, version: status.latest, state: "up_to_date" });
    expect(status.summary).toEqual({ up_to_date: count, behind: 0, unknown: 0 });
    const paged = ok(await asAdmin<Status>("query", "admin.migrationStatus", { page: 2, pageSize: 1 }));
    expect(paged.tenants).toHaveLength(1);
    expect(paged.totalPages).toBe(count);
    expect(paged.tenants[0]?.tenantId).toBe(status.tenants[1]?.tenantId);
    // A version the runner recorded as behind is shown, and filtered, without opening the file.
    env.manager.getSharedDatabase().$client.prepare("UPDATE tenant_usage SET schema_version = 1 WHERE tenant_id = ?").run(acme.id);
    const behind = ok(await asAdmin<Status>("query", "admin.migrationStatus", { state: "behind" }));
    expect(behind.tenants.map((t) => t.slug)).toEqual(["acme"]);
    expect(behind.summary.behind).toBe(1);
    expect((await asAdmin("query", "admin.migrationStatus", { pageSize: 101 })).status).toBe(400);
    // Migrating records the file's real version again.
    const run = ok(await asAdmin<{ id: string }>("mutation", "maintenance.start", { kind: "migrate", tenantIds: [acme.id] }));
    for (let polls = 0; ok(await asAdmin<{ status: string }>("query", "maintenance.get", { id: run.id })).status === "running"; polls += 1) {
      if (polls > 500) throw new Error("the migration run did not end");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(ok(await asAdmin<Status>("query", "admin.migrationStatus", { state: "behind" })).total).toBe(0);
  });

  test("API keys: created once in plain, work on the admin host only, listed without secrets, revoked", async () => {
    const created = ok(
      await asAdmin<{ key: string; apiKey: { id: string; prefix: string; status: string } }>("mutation", "admin.createApiKey", { name: "automation" }),
    );
    expect(created.key).toMatch(/^sgla_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.apiKey.prefix.replace("…", ""))).toBe(true);
    const stored = await systemApiKeyModel.findById(created.apiKey.id);
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(-43));

    const me = ok(await call<{ admin: { email: string } }>("query", "admin.me", undefined, { host: ADMIN_HOST, apiKey: created.key }));
    expect(me.admin.email).toBe(ADMIN_EMAIL);
    // A key needs no Origin: it is not ambient authority like a cookie.
    ok(await call("mutation", "tenants.update", { id: acme.id, name: acme.name }, { host: ADMIN_HOST, apiKey: created.key }));
    const onTenant = await call("query", "auth.me", undefined, { tenant: "acme", apiKey: created.key });
    expect(onTenant.status).toBe(403);
    const onTenantAdmin = await call("query", "tenants.list", undefined, { host: "acme.localhost", apiKey: created.key });
    expect(onTenantAdmin.status).toBe(403);

    const list = ok(await asAdmin<Record<string, unknown>[]>("query", "admin.listApiKeys"));
    const listed = list.find((k) => k.id === created.apiKey.id);
    expect(listed).toMatchObject({ name: "automation", status: "active", adminId: admin.id });
    expect(JSON.stringify(list)).not.toMatch(/secretHash|sgla_[a-z0-9]{16}_[A-Za-z0-9_-]{43}/);

    const revoked = ok(await asAdmin<{ status: string; revokedAt: Date | null }>("mutation", "admin.revokeApiKey", { id: created.apiKey.id }));
    expect(revoked.status).toBe("revoked");
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect((await call("query", "admin.me", undefined, { host: ADMIN_HOST, apiKey: created.key })).status).toBe(401);
    expect((await asAdmin("mutation", "admin.revokeApiKey", { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    const actions = (await adminAuditLogModel.findMany({ where: { adminId: admin.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["admin.api_key_created", "admin.api_key_revoked"]));
  });

  test("audit: newest first, paginated, filterable by action", async () => {
    const first = ok(
      await asAdmin<{ data: { createdAt: Date; action: string }[]; total: number; page: number; pageSize: number; totalPages: number }>(
        "query",
        "admin.audit",
        { page: 1, pageSize: 5 },
      ),
    );
    expect(first.data).toHaveLength(5);
    expect(first.total).toBeGreaterThan(5);
    const times = first.data.map((e) => e.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const second = ok(await asAdmin<{ data: { id: string; createdAt: Date }[] }>("query", "admin.audit", { page: 2, pageSize: 5 }));
    expect(second.data[0]?.createdAt.getTime()).toBeLessThanOrEqual(times.at(-1) ?? 0);
    const logins = ok(await asAdmin<{ data: { action: string }[] }>("query", "admin.audit", { action: "admin.login_failed" }));
    expect(logins.data.length).toBeGreaterThan(0);
    expect(new Set(logins.data.map((e) => e.action))).toEqual(new Set(["admin.login_failed"]));
    expect((await asAdmin("query", "admin.audit", { pageSize: 1000 })).status).toBe(400);
  });
});

describe("bootstrap", () => {
  test("creates the administrator once from the environment", async () => {
    const env1 = { SIGIL_ADMIN_EMAIL: "Boot@Sigil.test", SIGIL_ADMIN_PASSWORD: "bootstrap-password" };
    const created = await ensureSystemAdmin(env1);
    expect(created.status).toBe("created");
    const again = await ensureSystemAdmin({ ...env1, SIGIL_ADMIN_PASSWORD: "another-password-x" });
    expect(again.status).toBe("exists");
    const result = await call("mutation", "admin.login", { email: "boot@sigil.test", password: "bootstrap-password" }, { host: ADMIN_HOST });
    expect(result.error).toBeUndefined();
    expect(await ensureSystemAdmin({})).toEqual({ status: "skipped" });
  });

  test("refuses a short or missing password and a bad email with a clear error", async () => {
    await expect(ensureSystemAdmin({ SIGIL_ADMIN_EMAIL: "short@sigil.test", SIGIL_ADMIN_PASSWORD: "short" })).rejects.toThrow(AdminBootstrapError);
    await expect(ensureSystemAdmin({ SIGIL_ADMIN_EMAIL: "short@sigil.test", SIGIL_ADMIN_PASSWORD: "short" })).rejects.toThrow(/at least 10|between 10 and 200/);
    await expect(ensureSystemAdmin({ SIGIL_ADMIN_EMAIL: "nopass@sigil.test" })).rejects.toThrow(/SIGIL_ADMIN_PASSWORD is required/);
    await expect(ensureSystemAdmin({ SIGIL_ADMIN_EMAIL: "not-an-email", SIGIL_ADMIN_PASSWORD: "long-enough-password" })).rejects.toThrow(/not a valid email/);
    expect(await systemAdminModel.findByEmail("short@sigil.test")).toBeNull();
  });
});
