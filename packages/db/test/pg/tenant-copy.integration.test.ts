/**
 * A tenant's rows travel between engines (issue 13: moving a tenant SQLite ↔ PostgreSQL) and
 * arrive the same: every tenant table, every column type (instants, JSON with nested and unusual
 * values, bytes, booleans, numbers), checked by count and checksum in both directions.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checksumDifferences, copyTenantRows, tenantChecksums, tenantTableOrder, type TableChecksum } from "../../src/archive/copy-tenant-rows.ts";
import type { Session } from "../../src/engine/session.ts";
import { HybridDatabaseManager } from "../../src/hybrid-manager.ts";
import { auditLogModel, deploymentModel, executionModel, fileModel, promptModel, tenantModel } from "../../src/models/index.ts";
import { tenantContext } from "../../src/tenant-context.ts";
import { tenantInput, useTempDataDir } from "../helpers.ts";

let postgres: Awaited<ReturnType<typeof useTempDataDir>>;
let sqlite: HybridDatabaseManager;
let sqliteDir: string;
let tenantId: string;

beforeAll(async () => {
  postgres = await useTempDataDir({}, { processWide: false });
  sqliteDir = mkdtempSync(join(tmpdir(), "sigil-copy-"));
  sqlite = HybridDatabaseManager.configure({ dataDir: sqliteDir, database: { engine: "sqlite" } });
  await sqlite.runSharedMigrations();
  tenantId = (await tenantModel.createTenant(tenantInput("copy-source"))).id;
  await tenantContext.runWithTenant(tenantId, fillEveryTable);
});

afterAll(async () => {
  sqlite.close();
  rmSync(sqliteDir, { recursive: true, force: true });
  await postgres.cleanup();
});

test("the tables are ordered parents first, with the trigger-kept statistics last", () => {
  const order = tenantTableOrder();
  expect(order.indexOf("prompts")).toBeLessThan(order.indexOf("promptVersions"));
  expect(order.indexOf("datasets")).toBeLessThan(order.indexOf("datasetItems"));
  expect(order.indexOf("executions")).toBeLessThan(order.indexOf("executionComments"));
  expect(order.at(-1)).toBe("tenantStats");
});

test("SQLite → PostgreSQL → SQLite keeps every row of every table, checked by count and checksum", async () => {
  const source = await onTenant(sqlite, tenantId, "read", tenantChecksums);
  for (const [table, sum] of Object.entries(source)) expect(sum.rows, `${table} has rows to copy`).toBeGreaterThan(0);

  // Into a new PostgreSQL schema of the same tenant id (the way a move provisions its target).
  await postgres.manager.provisionTenant(tenantId, () => registerIn(postgres.manager, tenantId));
  const copied = await copyBetween(sqlite, postgres.manager);
  expect(copied.map((table) => table.table)).toEqual(Object.keys(source));
  const inPostgres = await onTenant(postgres.manager, tenantId, "read", tenantChecksums);
  expect(checksumDifferences(source, inPostgres)).toEqual([]);

  // And back, into a new SQLite installation.
  const backDir = mkdtempSync(join(tmpdir(), "sigil-copy-back-"));
  const back = new HybridDatabaseManager({ dataDir: backDir, database: { engine: "sqlite" } });
  try {
    await back.runSharedMigrations();
    await back.provisionTenant(tenantId, () => registerIn(back, tenantId));
    await copyBetween(postgres.manager, back);
    expect(checksumDifferences(inPostgres, await onTenant(back, tenantId, "read", tenantChecksums))).toEqual([]);
  } finally {
    back.close();
    rmSync(backDir, { recursive: true, force: true });
  }
});

test("a missing or changed row is named by table", async () => {
  const sums = await onTenant(sqlite, tenantId, "read", tenantChecksums);
  const prompts = sums.prompts as TableChecksum;
  expect(checksumDifferences(sums, { ...sums, prompts: { rows: prompts.rows - 1, sha256: prompts.sha256 } })).toEqual([
    `prompts: ${prompts.rows} rows against ${prompts.rows - 1}`,
  ]);
  expect(checksumDifferences(sums, { ...sums, prompts: { rows: prompts.rows, sha256: "0".repeat(64) } })).toEqual([
    `prompts: the same ${prompts.rows} rows count, different contents`,
  ]);
});

function onTenant<T>(manager: HybridDatabaseManager, id: string, mode: "read" | "write", fn: (session: Session) => Promise<T>): Promise<T> {
  return manager.withTenantStore(id, (store) => store.session(mode, fn));
}

function copyBetween(from: HybridDatabaseManager, to: HybridDatabaseManager) {
  return onTenant(from, tenantId, "read", (source) => onTenant(to, tenantId, "write", (target) => copyTenantRows(source, target)));
}

/** The registry row a provisioning needs, on `manager`'s shared store. */
async function registerIn(manager: HybridDatabaseManager, id: string): Promise<void> {
  await manager.sharedStore().session("write", async (s) => {
    await s.db.insert(s.t.tenants).values({
      id,
      name: "Copy",
      slug: `copy-${id.slice(0, 8)}`,
      plan: "free",
      features: [],
      limitUsers: 5,
      limitStorageMb: 100,
      limitExecutionsPerMonth: 1000,
    });
  });
}

/** At least one row in every tenant table, with the column types that convert between engines. */
async function fillEveryTable(): Promise<void> {
  const prompt = await promptModel.create({
    name: "Greeting ✓",
    template: "Hello {{customer}}",
    responseSchema: { type: "object", properties: { n: { type: "number", minimum: 0.5 } }, required: ["n"] },
  });
  await promptModel.update(prompt.id, { template: "Hi {{customer}}" });
  const execution = await executionModel.create({
    promptId: prompt.id,
    promptVersion: 2,
    input: { customer: "Zoë", nested: { list: [1, 2.5, null, "x"] } },
    provider: "template",
    model: "none",
  });
  await deploymentModel.create({ name: "greeting-live", promptId: prompt.id, provider: "template", model: "none" });
  await fileModel.store({ name: "notes.bin", mimeType: "application/octet-stream", content: Buffer.from([0, 1, 2, 255]) });
  await auditLogModel.record({ actorType: "system", action: "copy.test", details: { unicode: "日本語", big: 2 ** 40 } });
  await tenantContext.withTenantStore("fill", (store) =>
    store.session("write", async (s) => {
      const datasetId = randomUUID();
      await s.db.insert(s.t.datasets).values({ id: datasetId, name: "Customers" });
      const itemId = randomUUID();
      await s.db.insert(s.t.datasetItems).values({ id: itemId, datasetId, position: 0, variables: { customer: "Ann" }, expectedOutput: "Hi Ann" });
      const runId = randomUUID();
      await s.db.insert(s.t.batchRuns).values({
        id: runId,
        promptId: prompt.id,
        datasetId,
        datasetName: "Customers",
        targets: [{ version: 2, provider: "template", model: "none", options: { temperature: 0.2 } }],
        total: 1,
      });
      await s.db.insert(s.t.executionComments).values({ id: randomUUID(), executionId: execution.id, body: "Looks right" });
      await s.db.insert(s.t.promptComments).values({ id: randomUUID(), promptId: prompt.id, body: "First draft", promptVersion: 1 });
      await s.db.insert(s.t.usageCounters).values({ metric: "tokens", period: "2026-12", count: 2 ** 33 });
      await s.db.insert(s.t.webhookDeliveries).values({
        id: randomUUID(),
        webhook: "hook",
        eventId: randomUUID(),
        event: "batch.completed",
        payload: { run: runId, ok: true },
        expiresAt: new Date(Date.now() + 86_400_000),
      });
    }),
  );
}
