/**
 * The admin tenants list, overview and migration status at many tenants: paginated, searched,
 * filtered and sorted in SQL over shared.sqlite, and never opening a tenant file (counted by the
 * process's open descriptors on tenant files and by the manager's lease calls), with 220 tenants.
 */
import { fileModel, hashPassword, promptModel, systemAdminModel, tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { call, cookieFrom, openTenantFileDescriptors, tenantInput, useTestEnv, type CallResult, type TestEnv } from "./harness.ts";
import type { TenantWithUsage } from "../src/services/tenant-usage.ts";

const ADMIN_HOST = "admin.localhost";
const TENANTS = 220;

let env: TestEnv;
let adminCookie = "";
const created: TenantRow[] = [];

/** What tenants.list returns per tenant (the API's own type). */
type Listed = TenantWithUsage;
interface ListPage {
  tenants: Listed[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

function asAdmin<T>(type: "query" | "mutation", path: string, input?: unknown): Promise<CallResult<T>> {
  return call<T>(type, path, input, { host: ADMIN_HOST, cookie: adminCookie });
}

function ok<T>(result: CallResult<T>): T {
  if (result.error !== undefined || result.data === undefined) throw new Error(`expected success, got ${result.status}: ${result.error?.message ?? "no data"}`);
  return result.data;
}

const list = async (input: unknown) => ok(await asAdmin<ListPage>("query", "tenants.list", input));

beforeAll(async () => {
  env = await useTestEnv();
  await systemAdminModel.create({ email: "root@sigil.test", name: "Root", passwordHash: await hashPassword("admin-password-for-tests") });
  const login = await call("mutation", "admin.login", { email: "root@sigil.test", password: "admin-password-for-tests" }, { host: ADMIN_HOST });
  adminCookie = cookieFrom(login.setCookies, "sigil_admin_session");
  const plans = ["free", "pro", "enterprise"] as const;
  for (let i = 0; i < TENANTS; i += 1) {
    const n = String(i).padStart(3, "0");
    created.push(
      await tenantModel.createTenant(
        tenantInput(`t${n}`, { name: i === 7 ? "Under_score 100% Ltd" : `Workspace ${n}`, plan: plans[i % 3] ?? "free", settings: tenantInput("x").settings }),
      ),
    );
  }
  // Some usage on a few tenants, through the models (the mirror follows).
  for (const [index, tenant] of created.slice(0, 5).entries()) {
    await tenantContext.runWithTenant(tenant.id, async () => {
      await fileModel.store({ name: "f.bin", mimeType: "application/octet-stream", content: Buffer.alloc(1_000 * (index + 1)) });
      for (let p = 0; p < index; p += 1) await promptModel.create({ name: `p${p}`, template: "x" });
    });
  }
  const suspended = created[10];
  if (suspended) await tenantModel.suspend(suspended.id);
  for (const tenant of created) env.manager.closeTenantDatabase(tenant.id);
}, 120_000);
afterAll(() => env.cleanup());
afterEach(() => vi.restoreAllMocks());

test("list, getById, stats and migrationStatus open no tenant file, with 220 tenants", async () => {
  expect(openTenantFileDescriptors(env.dataDir)).toEqual([]);
  const acquire = vi.spyOn(env.manager, "acquireTenantDatabase");
  const first = await list({ pageSize: 100, sort: "storage", direction: "desc" });
  expect(first.tenants).toHaveLength(100);
  ok(await asAdmin("query", "tenants.getById", { id: created[3]?.id }));
  ok(await asAdmin("query", "admin.stats"));
  ok(await asAdmin("query", "admin.migrationStatus", { pageSize: 100, page: 3 }));
  await list({ search: "workspace 1", status: "active", plan: "pro", sort: "lastActivity" });
  expect(acquire).not.toHaveBeenCalled();
  expect(openTenantFileDescriptors(env.dataDir)).toEqual([]);
});

test("pages cover every tenant once, with the total", async () => {
  const seen: string[] = [];
  let page = 1;
  for (;;) {
    const result = await list({ page, pageSize: 50, sort: "slug" });
    expect(result.total).toBe(TENANTS);
    expect(result.totalPages).toBe(Math.ceil(TENANTS / 50));
    seen.push(...result.tenants.map((t) => t.slug));
    if (page >= result.totalPages) break;
    page += 1;
  }
  expect(seen).toEqual(created.map((t) => t.slug).sort());
  expect((await list({ page: 99, pageSize: 50 })).tenants).toEqual([]);
});

test("sorting by usage and by name, both directions", async () => {
  const byStorage = await list({ sort: "storage", direction: "desc", pageSize: 5 });
  expect(byStorage.tenants.map((t) => t.usage.storageBytes)).toEqual([5_000, 4_000, 3_000, 2_000, 1_000]);
  expect(byStorage.tenants.map((t) => t.slug)).toEqual(["t004", "t003", "t002", "t001", "t000"]);
  const byPrompts = await list({ sort: "prompts", direction: "desc", pageSize: 2 });
  expect(byPrompts.tenants.map((t) => [t.slug, t.usage.promptCount])).toEqual([
    ["t004", 4],
    ["t003", 3],
  ]);
  const byName = await list({ sort: "name", direction: "desc", pageSize: 3 });
  expect(byName.tenants.map((t) => t.name)).toEqual(["Workspace 219", "Workspace 218", "Workspace 217"]);
  const ascending = await list({ sort: "name", pageSize: 1 });
  expect(ascending.tenants[0]?.name).toBe("Under_score 100% Ltd");
});

test("search takes the text literally (LIKE wildcards escaped) and matches name, slug or domain", async () => {
  expect((await list({ search: "100%" })).tenants.map((t) => t.slug)).toEqual(["t007"]);
  expect((await list({ search: "_" })).tenants.map((t) => t.slug)).toEqual(["t007"]);
  expect((await list({ search: "%" })).total).toBe(1);
  expect((await list({ search: "t21" })).tenants.map((t) => t.slug)).toEqual(["t210", "t211", "t212", "t213", "t214", "t215", "t216", "t217", "t218", "t219"]);
  const withDomain = created[42];
  if (!withDomain) throw new Error("no tenant");
  await tenantModel.update(withDomain.id, { domain: "prompts.example.org" });
  expect((await list({ search: "EXAMPLE.org" })).tenants.map((t) => t.slug)).toEqual(["t042"]);
  expect((await list({ search: "no such tenant" })).total).toBe(0);
});

test("status and plan filters, alone and together", async () => {
  expect((await list({ status: "suspended" })).tenants.map((t) => t.slug)).toEqual(["t010"]);
  const pro = await list({ plan: "pro", pageSize: 100 });
  expect(pro.total).toBe(created.filter((_, i) => i % 3 === 1).length);
  expect(pro.tenants.every((t) => t.plan === "pro")).toBe(true);
  expect((await list({ plan: "pro", status: "suspended" })).total).toBe(1);
  expect((await list({ plan: "free", status: "suspended" })).total).toBe(0);
});

test("stats aggregates the control plane", async () => {
  const stats = ok(
    await asAdmin<{ tenants: { total: number; byStatus: Record<string, number>; byPlan: Record<string, number> }; storageBytes: number; prompts: number }>(
      "query",
      "admin.stats",
    ),
  );
  expect(stats.tenants).toEqual({
    total: TENANTS,
    byStatus: { active: TENANTS - 1, inactive: 0, suspended: 1 },
    byPlan: { free: 74, pro: 73, enterprise: 73 },
  });
  expect(stats.storageBytes).toBe(15_000);
  expect(stats.prompts).toBe(10);
});

test.each([
  [{ pageSize: 101 }, /at most 100/],
  [{ pageSize: 0 }, /at least 1/],
  [{ page: 0 }, /page/i],
  [{ sort: "password" }, /sort/i],
  [{ status: "deleted" }, /status/i],
  [{ search: "x".repeat(101) }, /at most 100 characters/],
])("a bad list input %j is a 400 saying what is wrong", async (input, message) => {
  const result = await asAdmin("query", "tenants.list", input);
  expect(result.status).toBe(400);
  expect(JSON.stringify(result.error)).toMatch(message);
});
