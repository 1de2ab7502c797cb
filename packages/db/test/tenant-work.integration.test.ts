import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DUE_LEASE_CHECKS_SQL, DUE_WEBHOOKS_SQL, PENDING_TENANTS_SQL } from "../src/models/tenant-work.ts";
import { executionModel, promptModel, tenantContext, tenantModel, tenantWorkModel, type PromptRow, type TenantRow } from "../src/index.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

/**
 * The worker's pending-work index (models/tenant-work.ts) as the execution model keeps it: marks
 * made with every new execution, the generation guard of clearing, claims and leases recorded
 * with their claim, outcomes recorded only by the claim's holder.
 */

let env: Awaited<ReturnType<typeof useTempDataDir>>;
beforeAll(async () => {
  env = await useTempDataDir();
});
afterAll(() => env.cleanup());

const claim = (workerId: string, leaseMs = 60_000) => ({ workerId, leaseMs });

async function withPrompt(slug: string): Promise<{ tenant: TenantRow; prompt: PromptRow }> {
  const [tenant] = await createTenants(slug);
  if (!tenant) throw new Error("no tenant");
  const prompt = await tenantContext.runWithTenant(tenant.id, () =>
    promptModel.create({ name: "p", template: "x", acceptsFiles: false, responseSchema: null }),
  );
  return { tenant, prompt };
}

function create(tenant: TenantRow, prompt: PromptRow) {
  return tenantContext.runWithTenant(tenant.id, () =>
    executionModel.create({ promptId: prompt.id, promptVersion: 1, input: {}, provider: "template", model: "m" }),
  );
}

const listed = async (tenant: TenantRow) => (await tenantWorkModel.listPending(1_000)).find((row) => row.tenantId === tenant.id);

describe("marks", () => {
  test("a new tenant has no mark; each execution created marks it and raises the generation; pending_since keeps the oldest mark", async () => {
    const { tenant, prompt } = await withPrompt("tw-mark");
    expect(await tenantWorkModel.find(tenant.id)).toEqual({ tenantId: tenant.id, pendingSince: null, pendingGeneration: 0, leaseCheckAt: null });
    expect(await listed(tenant)).toBeUndefined();
    await create(tenant, prompt);
    const first = await tenantWorkModel.find(tenant.id);
    expect(first?.pendingGeneration).toBe(1);
    expect(first?.pendingSince).toEqual(expect.any(Number));
    await create(tenant, prompt);
    expect(await tenantWorkModel.find(tenant.id)).toMatchObject({ pendingGeneration: 2, pendingSince: first?.pendingSince });
    expect(await listed(tenant)).toEqual({ tenantId: tenant.id, slug: "tw-mark", generation: 2 });
  });

  test("a suspended tenant is not listed but keeps its mark; reactivated, it is listed again", async () => {
    const { tenant, prompt } = await withPrompt("tw-suspended");
    await create(tenant, prompt);
    await tenantModel.suspend(tenant.id);
    expect(await listed(tenant)).toBeUndefined();
    expect((await tenantWorkModel.find(tenant.id))?.pendingSince).not.toBeNull();
    await tenantModel.reactivate(tenant.id);
    expect((await listed(tenant))?.generation).toBe(1);
  });

  test("a mark made while a worker drains the tenant is not lost (the generation guard)", async () => {
    const { tenant, prompt } = await withPrompt("tw-guard");
    const first = await create(tenant, prompt);
    // The worker's steps: read the mark, claim until nothing is left…
    const read = await listed(tenant);
    if (!read) throw new Error("not listed");
    const claimed = await tenantContext.runWithTenant(tenant.id, () => executionModel.claimNextPending(claim("w1")));
    expect(claimed?.id).toBe(first.id);
    expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.claimNextPending(claim("w1")))).toBeNull();
    // …meanwhile an execution is created…
    const second = await create(tenant, prompt);
    // …so clearing with the generation read before is refused, and the tenant stays listed.
    expect(await tenantWorkModel.clearPending(tenant.id, read.generation)).toBe(false);
    const again = await listed(tenant);
    expect(again?.generation).toBe(read.generation + 1);
    expect((await tenantContext.runWithTenant(tenant.id, () => executionModel.claimNextPending(claim("w1"))))?.id).toBe(second.id);
    // With nothing created since, the mark goes.
    expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.claimNextPending(claim("w1")))).toBeNull();
    expect(await tenantWorkModel.clearPending(tenant.id, again?.generation ?? -1)).toBe(true);
    expect(await listed(tenant)).toBeUndefined();
  });

  test("active tenants are listed longest-waiting first; a claim moves its tenant to the back", async () => {
    const a = await withPrompt("tw-order-a");
    const b = await withPrompt("tw-order-b");
    await create(a.tenant, a.prompt);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await create(b.tenant, b.prompt);
    const order = async () => (await tenantWorkModel.listPending(1_000)).map((row) => row.slug).filter((slug) => slug.startsWith("tw-order-"));
    expect(await order()).toEqual(["tw-order-a", "tw-order-b"]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await tenantContext.runWithTenant(a.tenant.id, () => executionModel.claimNextPending(claim("w1")));
    expect(await order()).toEqual(["tw-order-b", "tw-order-a"]);
  });
});

describe("claims and leases", () => {
  test("a claim records its worker and lease, and the tenant's lease check; finishing the last one clears the check", async () => {
    const { tenant, prompt } = await withPrompt("tw-lease");
    await create(tenant, prompt);
    await create(tenant, prompt);
    const now = new Date();
    const one = await tenantContext.runWithTenant(tenant.id, () => executionModel.claimNextPending(claim("w1", 10_000), now));
    expect(one).toMatchObject({ status: "running", claimedBy: "w1", leaseExpiresAt: new Date(now.getTime() + 10_000), attempts: 1 });
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBe(now.getTime() + 10_000);
    const two = await tenantContext.runWithTenant(tenant.id, () => executionModel.claimNextPending(claim("w2", 5_000), now));
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBe(now.getTime() + 5_000);
    if (!one || !two) throw new Error("not claimed");

    await tenantContext.runWithTenant(tenant.id, () => executionModel.finish(two.id, { result: "ok" }, { workerId: "w2", attempt: 1 }));
    // The remaining lease is w1's.
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBe(now.getTime() + 10_000);
    await tenantContext.runWithTenant(tenant.id, () => executionModel.finish(one.id, { result: "ok" }, { workerId: "w1", attempt: 1 }));
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBeNull();
  });

  test("only the claim's holder renews its lease or records its outcome", async () => {
    const { tenant, prompt } = await withPrompt("tw-holder");
    await create(tenant, prompt);
    const inTenant = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(tenant.id, fn);
    const row = await inTenant(() => executionModel.claimNextPending(claim("w1", 10_000)));
    if (!row) throw new Error("not claimed");
    expect(await inTenant(() => executionModel.renewLease(row.id, { ...claim("w2", 10_000), attempt: 1 }))).toBe(false);
    expect((await inTenant(() => executionModel.finish(row.id, { result: "stolen" }, { workerId: "w2", attempt: 1 }))).row).toBeNull();
    expect(await inTenant(() => executionModel.findById(row.id))).toMatchObject({ status: "running", result: null, claimedBy: "w1" });
    const later = new Date(Date.now() + 1_000);
    expect(await inTenant(() => executionModel.renewLease(row.id, { ...claim("w1", 10_000), attempt: 1 }, later))).toBe(true);
    expect((await inTenant(() => executionModel.findById(row.id)))?.leaseExpiresAt).toEqual(new Date(later.getTime() + 10_000));
    expect((await inTenant(() => executionModel.finish(row.id, { result: "mine" }, { workerId: "w1", attempt: 1 }))).row).toMatchObject({
      status: "completed",
      result: "mine",
    });
  });

  test("recovery gives back only expired leases, marks the tenant, and keeps the lease check while anything runs", async () => {
    const { tenant, prompt } = await withPrompt("tw-recover");
    const inTenant = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(tenant.id, fn);
    await create(tenant, prompt);
    await create(tenant, prompt);
    const t0 = new Date();
    const short = await inTenant(() => executionModel.claimNextPending(claim("dead", 1_000), t0));
    const long = await inTenant(() => executionModel.claimNextPending(claim("alive", 60_000), t0));
    if (!short || !long) throw new Error("not claimed");
    const generation = (await tenantWorkModel.find(tenant.id))?.pendingGeneration ?? -1;

    // Not yet expired: nothing happens, the check moves to the earliest lease.
    expect(await inTenant(() => executionModel.recoverExpiredLeases(3, new Date(t0.getTime() + 999)))).toEqual({ retried: 0, failed: 0, batchesCompleted: [] });
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBe(t0.getTime() + 1_000);
    // Expired: back to pending, the tenant marked; looked at once more right away (the commit order's safety).
    const t1 = new Date(t0.getTime() + 1_000);
    expect(await inTenant(() => executionModel.recoverExpiredLeases(3, t1))).toEqual({ retried: 1, failed: 0, batchesCompleted: [] });
    expect(await inTenant(() => executionModel.findById(short.id))).toMatchObject({ status: "pending", claimedBy: null, leaseExpiresAt: null, attempts: 1 });
    expect(await inTenant(() => executionModel.findById(long.id))).toMatchObject({ status: "running", claimedBy: "alive" });
    expect(await tenantWorkModel.find(tenant.id)).toMatchObject({ pendingGeneration: generation + 1, leaseCheckAt: t1.getTime() });
    expect(await inTenant(() => executionModel.recoverExpiredLeases(3, t1))).toEqual({ retried: 0, failed: 0, batchesCompleted: [] });
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBe(t0.getTime() + 60_000);
    // The dead worker's late outcome is dropped.
    expect((await inTenant(() => executionModel.finish(short.id, { result: "late" }, { workerId: "dead", attempt: 1 }))).row).toBeNull();
  });
});

describe("cost at many tenants", () => {
  test("the idle worker's queries read the index first: with 2,000 idle tenants they visit no tenant row (query plan)", () => {
    const shared = env.manager.getSharedDatabase().$client;
    const insertTenant = shared.prepare(
      "INSERT INTO tenants (id, name, slug, limit_users, limit_storage_mb, limit_executions_per_month) VALUES (?, ?, ?, 5, 100, 1000)",
    );
    const insertWork = shared.prepare("INSERT INTO tenant_work (tenant_id) VALUES (?)");
    shared.transaction(() => {
      for (let i = 0; i < 2_000; i += 1) {
        const id = randomUUID();
        insertTenant.run(id, `Idle ${i}`, `idle-${i}`);
        insertWork.run(id);
      }
    })();
    for (const [sql, index] of [
      [PENDING_TENANTS_SQL, "tenant_work_pending_idx"],
      [DUE_LEASE_CHECKS_SQL, "tenant_work_lease_idx"],
      [DUE_WEBHOOKS_SQL, "tenant_work_webhooks_idx"],
    ] as const) {
      const plan = shared
        .prepare<[Record<string, number>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all({ limit: 100, now: Date.now() })
        .map((row) => row.detail);
      expect(plan[0]).toContain(`USING INDEX ${index}`);
      expect(plan.join(" | ")).not.toContain("tenants_status_idx");
    }
  });
});
