/**
 * The control plane's copy of each tenant's totals (shared.sqlite `tenant_usage`) follows the
 * tenant's writes without anyone opening tenant files to read it: triggers keep the file's
 * `tenant_stats` in the write's transaction, and the end of each tenant run mirrors it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLogModel, executionModel, fileModel, promptModel } from "../src/models/index.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, readShared, sqliteOnlyTest, useTempDataDir } from "./helpers.ts";

import type { Session } from "../src/engine/session.ts";
import { publishTenantStats, readTenantStats, type TenantStatsSnapshot } from "../src/usage-mirror.ts";

const env = await useTempDataDir();
afterAll(() => env.cleanup());

async function mirrorOf(tenantId: string) {
  const [row] = await readShared((s) => s.db.select().from(s.t.tenantUsage).where(eq(s.t.tenantUsage.tenantId, tenantId)));
  return row;
}

let tenantId = "";
beforeAll(async () => {
  const [tenant] = await createTenants("mirror");
  if (!tenant) throw new Error("no tenant");
  tenantId = tenant.id;
});

test("a new tenant's row says it is empty and at the latest schema", async () => {
  const row = await mirrorOf(tenantId);
  expect(row).toMatchObject({ storageBytes: 0, fileCount: 0, promptCount: 0, schemaVersion: env.manager.tenantMigrations().length });
});

test("files, prompts, executions and audit entries show in the mirror when the run ends", async () => {
  const at = new Date();
  await tenantContext.runWithTenant(tenantId, async () => {
    const prompt = await promptModel.create({ name: "p", template: "Hello {{name}}" });
    await fileModel.storeWithinQuota({ name: "a.txt", mimeType: "text/plain", content: Buffer.from("12345"), tags: [] }, 1_000_000);
    await fileModel.storeWithinQuota({ name: "b.txt", mimeType: "text/plain", content: Buffer.from("123"), tags: [] }, 1_000_000);
    await executionModel.createWithinMonthlyLimit(
      { promptId: prompt.id, promptVersion: 1, input: {}, provider: "template", model: "m" },
      { executions: 10, tokens: null },
    );
    await auditLogModel.record({ action: "test.action", actorType: "system", details: {} });
  });
  const row = await mirrorOf(tenantId);
  expect(row).toMatchObject({ storageBytes: 8, fileCount: 2, promptCount: 1, executionsInPeriod: 1, executionsPeriod: at.toISOString().slice(0, 7) });
  expect(row?.lastActivityAt?.getTime()).toBeGreaterThanOrEqual(at.getTime() - 1);

  // Cascades count too: deleting the prompt deletes its executions, but the month's count stays.
  await tenantContext.runWithTenant(tenantId, async () => {
    const [prompt] = await promptModel.findMany({});
    if (prompt) await promptModel.delete(prompt.id);
    const [file] = await fileModel.findMany({ where: { name: "a.txt" } });
    if (file) await fileModel.delete(file.id);
  });
  expect(await mirrorOf(tenantId)).toMatchObject({ storageBytes: 3, fileCount: 1, promptCount: 0, executionsInPeriod: 1 });
});

/** `engine` forces a path (the builder's on SQLite's tables); by default the session's own. */
function readStats(engine?: Session["engine"]) {
  return env.manager.withTenantStore(tenantId, (store) => store.session("read", (s) => readTenantStats({ ...s, engine: engine ?? s.engine })));
}

function publish(stats: TenantStatsSnapshot, engine?: Session["engine"]) {
  return env.manager.sharedStore().session("write", (s) => publishTenantStats({ ...s, engine: engine ?? s.engine }, tenantId, stats));
}

test("an older copy never overwrites a newer one", async () => {
  const stale = await readStats();
  if (!stale) throw new Error("no stats");
  await tenantContext.runWithTenant(tenantId, () => promptModel.create({ name: "newer", template: "x" }));
  const current = await mirrorOf(tenantId);
  expect(await publish(stale)).toBe(false);
  expect(await mirrorOf(tenantId)).toEqual(current);
});

// shared.sqlite's connection is one for every chain: a publish that ran beside another chain's
// open transaction would land in it and be lost with its rollback.
sqliteOnlyTest("the end-of-run publish waits for another chain's open shared session and survives its rollback", async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let opened = () => {};
  const open = new Promise<void>((resolve) => (opened = resolve));
  const rolledBack = env.manager
    .sharedStore()
    .session("write", async () => {
      opened();
      await held;
      throw new Error("rolled back on purpose");
    })
    .catch((error: unknown) => error);
  await open;
  const run = tenantContext.runWithTenant(tenantId, () => promptModel.create({ name: "beside-an-open-session", template: "x" }));
  // The run's statements are synchronous on both files: by the next turn of the event loop its
  // publish is either done (in the open transaction) or waiting for the shared store's lock.
  await new Promise((resolve) => setImmediate(resolve));
  release();
  expect(await rolledBack).toBeInstanceOf(Error);
  await run;
  const stats = await readStats();
  expect(await mirrorOf(tenantId)).toMatchObject({ revision: stats?.revision, promptCount: stats?.promptCount });
});

// PostgreSQL's path is the query builder's; run on SQLite's tables it must read and guard alike.
sqliteOnlyTest("the builder path reads the same totals and keeps the same guard as SQLite's prepared statements", async () => {
  const prepared = await readStats("sqlite");
  const built = await readStats("postgres");
  expect(built).toEqual(prepared);
  if (!built) throw new Error("no stats");
  const current = await mirrorOf(tenantId);
  expect(await publish({ ...built, revision: built.revision - 1 }, "postgres")).toBe(false);
  expect(await publish(built, "postgres")).toBe(false);
  expect(await mirrorOf(tenantId)).toEqual(current);
  // Same revision, a new month: the count is replaced; a higher revision: everything is.
  expect(await publish({ ...built, executionsPeriod: "2999-01", executionsInPeriod: 0 }, "postgres")).toBe(true);
  expect(await mirrorOf(tenantId)).toMatchObject({ executionsPeriod: "2999-01", executionsInPeriod: 0, revision: built.revision });
  const newer = { ...built, revision: built.revision + 1, promptCount: built.promptCount + 7, lastActivityAt: 1_700_000_000_000 };
  expect(await publish(newer, "postgres")).toBe(true);
  expect(await mirrorOf(tenantId)).toMatchObject({ revision: newer.revision, promptCount: newer.promptCount, lastActivityAt: new Date(newer.lastActivityAt) });
});
