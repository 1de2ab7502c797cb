/**
 * A HybridMigrationManager works on its own HybridDatabaseManager's data directory, which need
 * not be the process-wide one (the CLI, the benches and tests make their own): the schema
 * versions it records go to that directory's shared.sqlite, never to another installation's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { HybridMigrationManager } from "../src/migrations/hybrid-migration-manager.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

const installation = await useTempDataDir();
const elsewhere = mkdtempSync(join(tmpdir(), "sigil-elsewhere-"));
afterAll(async () => {
  HybridDatabaseManager.getInstance().close();
  rmSync(elsewhere, { recursive: true, force: true });
  await installation.cleanup();
});

test("migration runs and recorded status use the runner's own data directory", async () => {
  const [tenant] = await createTenants("scoped");
  if (!tenant) throw new Error("no tenant");
  installation.manager.getSharedDatabase().$client.prepare("UPDATE tenant_usage SET schema_version = NULL WHERE tenant_id = ?").run(tenant.id);
  // The process-wide manager now points at another, empty installation.
  await HybridDatabaseManager.configure({ dataDir: elsewhere }).runSharedMigrations();

  const own = new HybridDatabaseManager({ dataDir: installation.dataDir });
  try {
    const runner = new HybridMigrationManager(own);
    const report = await runner.runTenantMigrations({ concurrency: 1 });
    expect(report.results.map((result) => result.status)).toEqual(["up_to_date"]);
    const latest = own.tenantMigrations().length;
    const row = own.getSharedDatabase().$client.prepare("SELECT schema_version AS version FROM tenant_usage WHERE tenant_id = ?").get(tenant.id);
    expect(row).toEqual({ version: latest });
    expect((await runner.recordedStatus()).tenants.map((t) => [t.slug, t.state])).toEqual([["scoped", "up_to_date"]]);
  } finally {
    own.close();
  }
});
