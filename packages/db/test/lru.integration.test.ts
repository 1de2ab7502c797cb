/**
 * docs/architecture.md, The LRU pool: tenant files are opened through an LRU with a cap, only idle handles
 * are evicted, and a handle evicted while a request holds it keeps serving that request. Checked
 * against real files and the process's real descriptors (/proc/self/fd).
 */
import { like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { executionModel } from "../src/models/execution.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { tenantContext } from "../src/tenant-context.ts";
import type { PoolStats } from "../src/tenant-pool.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";
import { deferred, openTenantDatabases, openTenantFiles, sleep } from "./integration-helpers.ts";

const CAPACITY = 2;
const TENANT_COUNT = 50;

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let manager: HybridDatabaseManager;
let tenants: TenantRow[];

beforeAll(async () => {
  env = await useTempDataDir({ tenantCacheSize: CAPACITY });
  manager = env.manager;
  tenants = await createTenants(...Array.from({ length: TENANT_COUNT }, (_, i) => `lru-${i}`));
});

afterAll(async () => {
  await env.cleanup();
});

function tenantAt(index: number): TenantRow {
  const tenant = tenants[index];
  if (!tenant) throw new Error(`no tenant #${index}`);
  return tenant;
}

/** Records pool stats and checks the cap invariant at every sample. */
class PoolSampler {
  readonly samples: PoolStats[] = [];
  /** Samples where the process had descriptors on more tenant databases than the pool allows. */
  readonly descriptorViolations: { stats: PoolStats; databases: number }[] = [];
  sample(withDescriptors = false): void {
    const stats = manager.poolStats();
    this.samples.push(stats);
    if (withDescriptors) {
      const databases = openTenantDatabases(env.dataDir).size;
      if (databases > stats.capacity + stats.inUse) this.descriptorViolations.push({ stats, databases });
    }
  }
  violations(): PoolStats[] {
    return this.samples.filter((s) => s.open > s.capacity + s.inUse);
  }
  maxInUse(): number {
    return Math.max(0, ...this.samples.map((s) => s.inUse));
  }
}

/**
 * One request of one tenant: several awaits (timers, immediates), writes and reads through the
 * isolated models; returns what it read back so the caller can check it is its own data.
 */
async function tenantRequest(tenant: TenantRow, round: number, sampler: PoolSampler) {
  return tenantContext.runWithTenant(tenant.id, async () => {
    sampler.sample();
    await sleep(Math.floor(Math.random() * 5));
    const prompt = await promptModel.create({ name: `p-${round}`, template: `Hello from ${tenant.slug}, round ${round}` });
    sampler.sample();
    await sleep(Math.floor(Math.random() * 5));
    const execution = await executionModel.create({
      promptId: prompt.id,
      promptVersion: prompt.currentVersion,
      input: { tenant: tenant.slug, round },
      provider: "test",
      model: "echo",
    });
    sampler.sample();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const updated = await promptModel.update(prompt.id, { template: `Updated by ${tenant.slug}, round ${round}` });
    await sleep(Math.floor(Math.random() * 3));
    sampler.sample();
    const readPrompt = await promptModel.findById(prompt.id);
    const readExecution = await executionModel.findById(execution.id);
    const allPrompts = await promptModel.findMany({ orderBy: { column: "name" } });
    const allExecutions = await executionModel.findMany();
    const versions = await promptModel.versions(prompt.id);
    sampler.sample();
    return { prompt, updated, execution, readPrompt, readExecution, allPrompts, allExecutions, versions };
  });
}

async function runRound(round: number, sampler: PoolSampler): Promise<void> {
  const timer = setInterval(() => sampler.sample(true), 1);
  try {
    const results = await Promise.all(tenants.map((tenant) => tenantRequest(tenant, round, sampler)));
    results.forEach((result, index) => {
      const tenant = tenantAt(index);
      expect(result.readPrompt?.id).toBe(result.prompt.id);
      expect(result.readPrompt?.template).toBe(`Updated by ${tenant.slug}, round ${round}`);
      expect(result.updated?.currentVersion).toBe(2);
      expect(result.versions.map((v) => v.version)).toEqual([2, 1]);
      expect(result.readExecution?.id).toBe(result.execution.id);
      expect(result.readExecution?.input).toEqual({ tenant: tenant.slug, round });
      // Exactly this tenant's rows, one per round so far, and nobody else's.
      expect(result.allPrompts.map((p) => p.name)).toEqual(Array.from({ length: round + 1 }, (_, r) => `p-${r}`));
      expect(result.allPrompts.every((p) => p.template.includes(`${tenant.slug},`))).toBe(true);
      expect(result.allExecutions).toHaveLength(round + 1);
      expect(result.allExecutions.every((e) => e.input.tenant === tenant.slug)).toBe(true);
    });
  } finally {
    clearInterval(timer);
  }
  sampler.sample();
}

describe("tenant LRU with tenantCacheSize 2 and 50 tenants", () => {
  it("serves 50 concurrent tenants correctly, respects the cap at every sample and shrinks back after", async () => {
    const baselineFiles = openTenantFiles(env.dataDir);
    expect(baselineFiles).toEqual([]);
    const afterRound: number[] = [];

    for (let round = 0; round < 3; round += 1) {
      const sampler = new PoolSampler();
      await runRound(round, sampler);

      expect(sampler.samples.length).toBeGreaterThan(TENANT_COUNT);
      expect(sampler.violations()).toEqual([]);
      expect(sampler.descriptorViolations).toEqual([]);
      // The test really ran the tenants concurrently (more leased than the cap).
      expect(sampler.maxInUse()).toBeGreaterThan(CAPACITY);

      const stats = manager.poolStats();
      expect(stats.inUse).toBe(0);
      expect(stats.open).toBeLessThanOrEqual(CAPACITY);

      // The pool's accounting matches the process's real descriptors.
      const files = openTenantFiles(env.dataDir);
      const databases = openTenantDatabases(env.dataDir);
      expect(databases.size).toBeLessThanOrEqual(CAPACITY);
      expect(databases.size).toBe(stats.open);
      expect(files.filter((f) => f.deleted)).toEqual([]);
      // main file + -wal + -shm per open database, nothing more
      expect(files.length).toBeLessThanOrEqual(CAPACITY * 3);
      afterRound.push(files.length);
    }
    // Nothing accumulates from round to round.
    expect(new Set(afterRound).size).toBe(1);
  });

  it("a long request keeps its handle while 10 other tenants churn through the cap", async () => {
    const longTenant = tenantAt(0);
    const others = tenants.slice(1, 11);
    const othersDone = deferred();
    const sampler = new PoolSampler();

    const longRun = tenantContext.runWithTenant(longTenant.id, async () => {
      const first = await promptModel.create({ name: "long-1", template: "before the churn" });
      const connectionBefore = manager.isTenantOpen(longTenant.id);
      await othersDone.promise;
      await sleep(5);
      // The handle was pinned by this request: still usable after 10 other tenants were opened.
      const readBack = await promptModel.findById(first.id);
      const second = await promptModel.create({ name: "long-2", template: "after the churn" });
      const count = await promptModel.count((t) => like(t.name, "long-%"));
      return { first, readBack, second, connectionBefore, count };
    });

    for (const tenant of others) {
      await tenantContext.runWithTenant(tenant.id, async () => {
        await promptModel.create({ name: "churn", template: tenant.slug });
        await sleep(1);
        sampler.sample();
      });
      sampler.sample();
      expect(manager.isTenantOpen(longTenant.id)).toBe(true);
    }
    othersDone.resolve();
    const result = await longRun;

    expect(result.connectionBefore).toBe(true);
    expect(result.readBack?.template).toBe("before the churn");
    expect(result.second.name).toBe("long-2");
    expect(result.count).toBe(2);
    expect(sampler.violations()).toEqual([]);
    expect(manager.poolStats()).toMatchObject({ inUse: 0 });
    expect(manager.poolStats().open).toBeLessThanOrEqual(CAPACITY);
    expect(openTenantDatabases(env.dataDir).size).toBeLessThanOrEqual(CAPACITY);

    // Both writes of the long request are durable, seen from a fresh request.
    const names = await tenantContext.runWithTenant(longTenant.id, async () =>
      (await promptModel.findMany({ where: (t) => like(t.name, "long-%") })).map((p) => p.name).sort(),
    );
    expect(names).toEqual(["long-1", "long-2"]);
  });

  it("a leased handle retired (evicted) while held keeps working, and closes when released", async () => {
    const held = tenantAt(20);
    const lease = manager.acquireTenantDatabase(held.id);
    const client = lease.db.$client;
    client.prepare("INSERT INTO prompts (id, name, template) VALUES ('held-1', 'held-1', 'x')").run();

    // Retire it (what eviction or an external migration does) while the lease is held…
    manager.closeTenantDatabase(held.id);
    expect(manager.isTenantOpen(held.id)).toBe(false);
    // …and churn 10 other tenants through the cap.
    for (const tenant of tenants.slice(21, 31)) {
      await tenantContext.runWithTenant(tenant.id, () => promptModel.findMany());
      const stats = manager.poolStats();
      expect(stats.open).toBeLessThanOrEqual(stats.capacity + stats.inUse);
    }
    expect(manager.poolStats().inUse).toBe(1);

    // The holder still reads and writes through its handle.
    expect(client.open).toBe(true);
    client.prepare("INSERT INTO prompts (id, name, template) VALUES ('held-2', 'held-2', 'x')").run();
    expect((client.prepare("SELECT count(*) AS n FROM prompts WHERE name LIKE 'held-%'").get() as { n: number }).n).toBe(2);

    // A new request for the same tenant meanwhile gets a working handle too and sees both rows.
    const seen = await tenantContext.runWithTenant(held.id, async () => (await promptModel.findMany({ where: (t) => like(t.name, "held-%") })).length);
    expect(seen).toBe(2);

    lease.release();
    expect(client.open).toBe(false);
    expect(manager.poolStats()).toMatchObject({ inUse: 0 });
    expect(manager.poolStats().open).toBeLessThanOrEqual(CAPACITY);
    expect(openTenantDatabases(env.dataDir).size).toBeLessThanOrEqual(CAPACITY);
    expect(openTenantFiles(env.dataDir).filter((f) => f.deleted)).toEqual([]);
  });

  it("held leases are never evicted: the pool grows past the cap and shrinks as they end", async () => {
    const heldTenants = tenants.slice(31, 36);
    const leases = heldTenants.map((tenant) => manager.acquireTenantDatabase(tenant.id));
    expect(manager.poolStats()).toMatchObject({ inUse: 5 });
    expect(manager.poolStats().open).toBeGreaterThanOrEqual(5);

    for (const tenant of tenants.slice(36, 46)) {
      await tenantContext.runWithTenant(tenant.id, () => promptModel.count());
    }
    for (const [i, lease] of leases.entries()) {
      expect(lease.db.$client.open).toBe(true);
      expect(manager.isTenantOpen(heldTenants[i]?.id ?? "")).toBe(true);
      lease.db.$client.prepare("SELECT count(*) FROM prompts").get();
    }
    const stats = manager.poolStats();
    expect(stats.open).toBeLessThanOrEqual(stats.capacity + stats.inUse);

    for (const lease of leases) {
      lease.release();
      const now = manager.poolStats();
      expect(now.open).toBeLessThanOrEqual(now.capacity + now.inUse);
    }
    expect(manager.poolStats()).toMatchObject({ inUse: 0 });
    expect(manager.poolStats().open).toBeLessThanOrEqual(CAPACITY);
    expect(openTenantDatabases(env.dataDir).size).toBeLessThanOrEqual(CAPACITY);
  });

  it("releasing a lease twice does not take away another holder's handle", async () => {
    const tenant = tenantAt(46);
    const a = manager.acquireTenantDatabase(tenant.id);
    const b = manager.acquireTenantDatabase(tenant.id);
    a.release();
    a.release();
    // Fill the pool with other tenants so an idle handle would be evicted.
    for (const other of tenants.slice(47, 50)) await tenantContext.runWithTenant(other.id, () => promptModel.count());
    expect(b.db.$client.open).toBe(true);
    expect(b.db.$client.prepare("SELECT 1 AS one").get()).toEqual({ one: 1 });
    b.release();
    expect(manager.poolStats()).toMatchObject({ inUse: 0 });
  });

  it("a detached promise that outlives its request still gets a working handle", async () => {
    const tenant = tenantAt(10);
    const gate = deferred();
    let detached: Promise<number> | undefined;
    await tenantContext.runWithTenant(tenant.id, async () => {
      await promptModel.count();
      detached = (async () => {
        await gate.promise;
        return promptModel.count();
      })();
    });
    // Churn so the request's handle is evicted after the request ended.
    for (const other of tenants.slice(11, 16)) await tenantContext.runWithTenant(other.id, () => promptModel.count());
    gate.resolve();
    if (detached === undefined) throw new Error("detached work was not started");
    await expect(detached).resolves.toBeGreaterThanOrEqual(0);
    expect(manager.poolStats()).toMatchObject({ inUse: 0 });
    expect(manager.poolStats().open).toBeLessThanOrEqual(CAPACITY);
  });
});
