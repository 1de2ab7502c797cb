/**
 * The control plane's copy of each tenant's totals (shared.sqlite `tenant_usage`) follows the
 * tenant's writes without anyone opening tenant files to read it: triggers keep the file's
 * `tenant_stats` in the write's transaction, and the end of each tenant run mirrors it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { auditLogModel, executionModel, fileModel, promptModel } from "../src/models/index.ts";
import { tenantUsage } from "../src/schema/shared/control-plane.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { publishTenantStats, readTenantStats } from "../src/usage-mirror.ts";

const env = useTempDataDir();
afterAll(() => env.cleanup());

function mirrorOf(tenantId: string) {
  return HybridDatabaseManager.getInstance().getSharedDatabase().select().from(tenantUsage).where(eq(tenantUsage.tenantId, tenantId)).get();
}

let tenantId = "";
beforeAll(async () => {
  const [tenant] = await createTenants("mirror");
  if (!tenant) throw new Error("no tenant");
  tenantId = tenant.id;
});

test("a new tenant's row says it is empty and at the latest schema", () => {
  const row = mirrorOf(tenantId);
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
  const row = mirrorOf(tenantId);
  expect(row).toMatchObject({ storageBytes: 8, fileCount: 2, promptCount: 1, executionsInPeriod: 1, executionsPeriod: at.toISOString().slice(0, 7) });
  expect(row?.lastActivityAt?.getTime()).toBeGreaterThanOrEqual(at.getTime() - 1);

  // Cascades count too: deleting the prompt deletes its executions, but the month's count stays.
  await tenantContext.runWithTenant(tenantId, async () => {
    const [prompt] = await promptModel.findMany({});
    if (prompt) await promptModel.delete(prompt.id);
    const [file] = await fileModel.findMany({ where: { name: "a.txt" } });
    if (file) await fileModel.delete(file.id);
  });
  expect(mirrorOf(tenantId)).toMatchObject({ storageBytes: 3, fileCount: 1, promptCount: 0, executionsInPeriod: 1 });
});

test("an older copy never overwrites a newer one", async () => {
  const stale = await tenantContext.runWithTenant(tenantId, () => tenantContext.withTenantDatabase("test", (db) => readTenantStats(db.$client)));
  if (!stale) throw new Error("no stats");
  await tenantContext.runWithTenant(tenantId, () => promptModel.create({ name: "newer", template: "x" }));
  const current = mirrorOf(tenantId);
  expect(publishTenantStats(env.manager.getSharedDatabase().$client, tenantId, stale)).toBe(false);
  expect(mirrorOf(tenantId)).toEqual(current);
});
