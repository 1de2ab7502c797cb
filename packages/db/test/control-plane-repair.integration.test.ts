/**
 * The control plane's incremental copy (triggers in each tenant file, mirrored to shared.sqlite
 * when a run ends) must equal what `repairTenantControlPlane` recomputes from the rows, after any
 * workload, including writes made through a second manager (another set of connections with its
 * own publish cache, as a second process would have). And a mirror or `tenant_stats` row damaged
 * on purpose is found, reported and fixed by the repair.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repairAllTenants, repairTenantControlPlane, type TenantRepairResult } from "../src/control-plane-repair.ts";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { auditLogModel, executionModel, fileModel, promptModel } from "../src/models/index.ts";
import { auditLog } from "../src/schema/tenant/audit-log.ts";
import { files } from "../src/schema/tenant/files.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

const env = await useTempDataDir();
/** A second manager on the same data directory: its own shared and tenant connections. */
let second: HybridDatabaseManager;
let tenantIds: string[] = [];

beforeAll(async () => {
  tenantIds = (await createTenants("repair-a", "repair-b", "repair-c", "repair-d")).map((t) => t.id);
  second = new HybridDatabaseManager({ dataDir: env.dataDir, tenantCacheSize: 2 });
});
afterAll(async () => {
  second.close();
  await env.cleanup();
});

type Operation =
  | { kind: "createPrompt"; tenant: number }
  | { kind: "deletePrompt"; tenant: number; pick: number }
  | { kind: "storeFile"; tenant: number; size: number }
  | { kind: "deleteFile"; tenant: number; pick: number }
  | { kind: "execute"; tenant: number; pick: number }
  | { kind: "audit"; tenant: number }
  | { kind: "secondManagerFile"; tenant: number; size: number }
  | { kind: "secondManagerAudit"; tenant: number };

const tenantIndex = fc.nat({ max: 3 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("createPrompt" as const), tenant: tenantIndex }),
  fc.record({ kind: fc.constant("deletePrompt" as const), tenant: tenantIndex, pick: fc.nat() }),
  fc.record({ kind: fc.constant("storeFile" as const), tenant: tenantIndex, size: fc.integer({ min: 0, max: 2_000 }) }),
  fc.record({ kind: fc.constant("deleteFile" as const), tenant: tenantIndex, pick: fc.nat() }),
  fc.record({ kind: fc.constant("execute" as const), tenant: tenantIndex, pick: fc.nat() }),
  fc.record({ kind: fc.constant("audit" as const), tenant: tenantIndex }),
  fc.record({ kind: fc.constant("secondManagerFile" as const), tenant: tenantIndex, size: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant("secondManagerAudit" as const), tenant: tenantIndex }),
);

function tenantOf(index: number): string {
  const id = tenantIds[index];
  if (id === undefined) throw new Error(`no tenant ${index}`);
  return id;
}

/** A write through the second manager's own connections, published by its own sync (as another process would). */
async function writeThroughSecondManager(
  tenantId: string,
  write: (db: ReturnType<HybridDatabaseManager["acquireTenantDatabase"]>["db"]) => void,
): Promise<void> {
  const lease = second.acquireTenantDatabase(tenantId);
  try {
    write(lease.db);
    await second.syncTenantUsage(tenantId);
  } finally {
    lease.release();
  }
}

async function apply(op: Operation): Promise<void> {
  const tenantId = tenantOf(op.tenant);
  switch (op.kind) {
    case "secondManagerFile":
      return writeThroughSecondManager(tenantId, (db) => {
        db.insert(files)
          .values({ id: randomUUID(), name: "other.bin", mimeType: "application/octet-stream", size: op.size, sha256: "x", content: Buffer.alloc(op.size) })
          .run();
      });
    case "secondManagerAudit":
      return writeThroughSecondManager(tenantId, (db) => {
        db.insert(auditLog).values({ id: randomUUID(), action: "other.process", actorType: "system", details: {} }).run();
      });
    default:
      break;
  }
  await tenantContext.runWithTenant(tenantId, async () => {
    switch (op.kind) {
      case "createPrompt":
        await promptModel.create({ name: `p-${randomUUID()}`, template: "Hello {{name}}" });
        return;
      case "deletePrompt": {
        const prompts = await promptModel.findMany({ orderBy: { column: "createdAt" } });
        const prompt = prompts[op.pick % Math.max(1, prompts.length)];
        if (prompt) await promptModel.delete(prompt.id);
        return;
      }
      case "storeFile":
        await fileModel.storeWithinQuota({ name: "f.txt", mimeType: "text/plain", content: Buffer.alloc(op.size, 97), tags: [] }, 100_000_000);
        return;
      case "deleteFile": {
        const stored = await fileModel.findMany({ orderBy: { column: "createdAt" } });
        const file = stored[op.pick % Math.max(1, stored.length)];
        if (file) await fileModel.delete(file.id);
        return;
      }
      case "execute": {
        const prompts = await promptModel.findMany({ orderBy: { column: "createdAt" } });
        const prompt = prompts[op.pick % Math.max(1, prompts.length)];
        if (prompt)
          await executionModel.createWithinMonthlyLimit(
            { promptId: prompt.id, promptVersion: 1, input: {}, provider: "template", model: "m" },
            { executions: 1_000_000, tokens: null },
          );
        return;
      }
      case "audit":
        await auditLogModel.record({ action: "test.action", actorType: "system", details: {} });
        return;
    }
  });
}

function pendingExecutions(tenantId: string): boolean {
  return env.manager.withTenantDatabase(tenantId, (db) => db.$client.prepare("SELECT 1 FROM executions WHERE status = 'pending' LIMIT 1").get() !== undefined);
}

function pendingMark(tenantId: string): number | null {
  const row = env.manager
    .getSharedDatabase()
    .$client.prepare<[string], { pending_since: number | null }>("SELECT pending_since FROM tenant_work WHERE tenant_id = ?")
    .get(tenantId);
  return row?.pending_since ?? null;
}

test("after a random workload over four tenants, the incremental mirror equals what repair recomputes", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 40 }), async (operations) => {
      for (const op of operations) await apply(op);
      const report = await repairAllTenants({ chunkSize: 2 });
      expect(report.failed).toBe(0);
      // The usage numbers and the files' running totals never drift; only the worker's pending
      // marks may be set here (creating an execution in this test does not mark its tenant).
      const drift = report.results.flatMap((r) => r.differences.filter((d) => d.table !== "tenant_work"));
      expect(drift).toEqual([]);
      for (const tenantId of tenantIds) expect(pendingMark(tenantId) !== null).toBe(pendingExecutions(tenantId));
      // Repaired once, a second run finds nothing at all.
      const again = await repairAllTenants();
      expect(again).toMatchObject({ total: 4, consistent: 4, repaired: 0, failed: 0, results: [] });
    }),
    { numRuns: 12 },
  );
});

function differencesOf(result: TenantRepairResult): string[] {
  return result.differences.map((d) => `${d.table}.${d.field}: ${String(d.before)} → ${String(d.after)}`);
}

test("a damaged mirror row, tenant_stats row or work row is reported and fixed", async () => {
  const [a, b, c] = [tenantOf(0), tenantOf(1), tenantOf(2)];
  await repairAllTenants();
  const shared = env.manager.getSharedDatabase().$client;
  const usageOf = (id: string) =>
    shared.prepare<[string], { storage_bytes: number; prompt_count: number; revision: number }>("SELECT * FROM tenant_usage WHERE tenant_id = ?").get(id);
  const truthA = usageOf(a);
  if (!truthA) throw new Error("no usage row");

  // The mirror of A says 12345 more bytes than its files hold (same revision: a publish cannot fix it).
  shared.prepare("UPDATE tenant_usage SET storage_bytes = storage_bytes + 12345, schema_version = NULL WHERE tenant_id = ?").run(a);
  // The running totals in B's own file lost 7 prompts.
  const statsB = env.manager.withTenantDatabase(b, (db) => {
    db.$client.prepare("UPDATE tenant_stats SET prompt_count = prompt_count + 7 WHERE id = 1").run();
    return db.$client.prepare<[], { prompt_count: number; revision: number }>("SELECT prompt_count, revision FROM tenant_stats").get();
  });
  if (!statsB) throw new Error("no stats row");
  // C's work row is gone, and its mirror row claims a revision far ahead of the file's (a file restored from a backup).
  shared.prepare("DELETE FROM tenant_work WHERE tenant_id = ?").run(c);
  shared.prepare("UPDATE tenant_usage SET revision = 1000000, prompt_count = 99 WHERE tenant_id = ?").run(c);

  const repairedA = await repairTenantControlPlane(a);
  expect(repairedA.state).toBe("repaired");
  expect(differencesOf(repairedA)).toEqual([
    `tenant_usage.storage_bytes: ${truthA.storage_bytes + 12345} → ${truthA.storage_bytes}`,
    `tenant_usage.schema_version: null → ${env.manager.tenantMigrations().length}`,
  ]);
  expect(usageOf(a)?.storage_bytes).toBe(truthA.storage_bytes);

  const repairedB = await repairTenantControlPlane(b);
  expect(differencesOf(repairedB)).toContain(`tenant_stats.prompt_count: ${statsB.prompt_count} → ${statsB.prompt_count - 7}`);
  // The file's row is fixed with a new revision, and the mirror follows it.
  const fixedB = env.manager.withTenantDatabase(b, (db) =>
    db.$client.prepare<[], { prompt_count: number; revision: number }>("SELECT prompt_count, revision FROM tenant_stats").get(),
  );
  expect(fixedB).toEqual({ prompt_count: statsB.prompt_count - 7, revision: statsB.revision + 1 });
  expect(usageOf(b)).toMatchObject({ prompt_count: statsB.prompt_count - 7, revision: statsB.revision + 1 });

  const repairedC = await repairTenantControlPlane(c);
  expect(differencesOf(repairedC)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^tenant_usage\.prompt_count: 99 → \d+$/), "tenant_work.row: null → created"]),
  );
  // The mirror is back at the file's revision, so the next write's publish is accepted again.
  await tenantContext.runWithTenant(c, () => promptModel.create({ name: "after-repair", template: "x" }));
  const promptsC = env.manager.withTenantDatabase(c, (db) => db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM prompts").get()?.n);
  expect(usageOf(c)?.prompt_count).toBe(promptsC);

  expect(await repairAllTenants()).toMatchObject({ consistent: 4, repaired: 0, failed: 0 });
});

test("webhook deliveries waiting in a file without the deliverer's mark (a restored file) get it back; none waiting, the mark goes", async () => {
  const d = tenantOf(3);
  await repairAllTenants();
  const shared = env.manager.getSharedDatabase().$client;
  const dueOf = () => shared.prepare<[string], { at: number | null }>("SELECT webhooks_due_at AS at FROM tenant_work WHERE tenant_id = ?").get(d)?.at ?? null;
  const now = Date.now();
  env.manager.withTenantDatabase(d, (db) =>
    db.$client
      .prepare(
        `INSERT INTO webhook_deliveries (id, webhook, event_id, event, payload, status, attempts, next_attempt_at, expires_at, created_at, updated_at)
         VALUES (?, 'hook', ?, 'execution.completed', '{}', 'pending', 0, ?, ?, ?, ?)`,
      )
      .run(randomUUID(), randomUUID(), now, now + 86_400_000, now, now),
  );
  expect(dueOf()).toBeNull();
  const repaired = await repairTenantControlPlane(d);
  expect(differencesOf(repaired)).toEqual(["tenant_work.webhooks_due_at: none → marked"]);
  expect(dueOf()).not.toBeNull();
  env.manager.withTenantDatabase(d, (db) => db.$client.prepare("UPDATE webhook_deliveries SET status = 'delivered'").run());
  expect(differencesOf(await repairTenantControlPlane(d))).toEqual(["tenant_work.webhooks_due_at: marked → none"]);
  expect(dueOf()).toBeNull();
});

test("the crash window: a commit whose copy never happened is closed by the tenant's next write, or by repair", async () => {
  const [a, b] = [tenantOf(0), tenantOf(1)];
  await repairAllTenants();
  const shared = env.manager.getSharedDatabase().$client;
  const storageOf = (id: string) =>
    shared.prepare<[string], { storage_bytes: number }>("SELECT storage_bytes FROM tenant_usage WHERE tenant_id = ?").get(id)?.storage_bytes;
  // A process that committed a file and died before copying: the write, without the sync.
  const commitWithoutCopy = (tenantId: string) => {
    const lease = second.acquireTenantDatabase(tenantId);
    try {
      lease.db
        .insert(files)
        .values({ id: randomUUID(), name: "lost.bin", mimeType: "application/octet-stream", size: 777, sha256: "x", content: Buffer.alloc(777) })
        .run();
    } finally {
      lease.release();
    }
  };
  const beforeA = storageOf(a) ?? 0;
  const beforeB = storageOf(b) ?? 0;
  commitWithoutCopy(a);
  commitWithoutCopy(b);
  expect(storageOf(a)).toBe(beforeA);
  // A's next write copies the whole row (not a delta), so the lost copy is healed too.
  await tenantContext.runWithTenant(a, () => auditLogModel.record({ action: "test.next_write", actorType: "system", details: {} }));
  expect(storageOf(a)).toBe(beforeA + 777);
  // B has no next write: repair finds and closes the gap.
  const repaired = await repairTenantControlPlane(b);
  expect(differencesOf(repaired)).toEqual([`tenant_usage.storage_bytes: ${beforeB} → ${beforeB + 777}`, expect.stringMatching(/^tenant_usage\.file_count: /)]);
  expect(storageOf(b)).toBe(beforeB + 777);
});

test("repairAllTenants yields to the event loop between chunks", async () => {
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 0);
  const progressTicks: number[] = [];
  await repairAllTenants({ chunkSize: 1, onProgress: () => progressTicks.push(ticks) });
  clearInterval(ticker);
  // Timers ran while the repair went on: later tenants saw more ticks than the first.
  expect(progressTicks.at(-1)).toBeGreaterThan(progressTicks[0] ?? 0);
});

test("an unknown tenant or a missing file is a clear error; repairAllTenants reports it and goes on", async () => {
  await expect(repairTenantControlPlane(randomUUID())).rejects.toThrow(/does not exist/);
  const [gone] = await createTenants("repair-missing");
  if (!gone) throw new Error("no tenant");
  env.manager.closeTenantDatabase(gone.id);
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      (await import("node:fs")).rmSync(`${env.manager.tenantDatabasePath(gone.id)}${suffix}`);
    } catch {
      // -wal / -shm may not exist
    }
  }
  await expect(repairTenantControlPlane(gone.id)).rejects.toThrow(/missing/i);
  const progress: number[] = [];
  const report = await repairAllTenants({ onProgress: ({ done }) => progress.push(done) });
  expect(report).toMatchObject({ total: 5, failed: 1 });
  expect(report.results.map((r) => [r.slug, r.state])).toEqual([["repair-missing", "skipped"]]);
  expect(progress).toEqual([1, 2, 3, 4, 5]);
});

// The repair writes through the pool's handle: a write session this process holds open on the
// tenant (across awaits) makes it wait its turn, where a connection of its own would block the
// thread on the file's lock until SQLITE_BUSY.
test("a repair waits for this process's open write session of the tenant, then repairs", async () => {
  const tenantId = tenantOf(0);
  let release = () => {};
  let opened = () => {};
  const open = new Promise<void>((resolve) => (opened = resolve));
  const held = env.manager.withTenantStore(tenantId, (store) =>
    store.session("write", async () => {
      opened();
      await new Promise<void>((resolve) => (release = resolve));
    }),
  );
  await open;
  const repair = repairTenantControlPlane(tenantId);
  await new Promise((resolve) => setImmediate(resolve));
  release();
  await held;
  await expect(repair).resolves.toMatchObject({ tenantId, state: "consistent" });
});
