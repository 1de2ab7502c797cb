import { exportTenantArchive, importTenantArchive, maintenanceRunModel, tenantModel, type TenantRow } from "@sigil/db";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBackup } from "../../src/services/backups.ts";
import { signInSystemAdmin, type AdminSession } from "../admin-session.ts";
import { tenantInput, useTestEnv, type TestEnv } from "../harness.ts";

/**
 * On PostgreSQL there are no SQLite files to copy or quick_check: the admin console's backups and
 * the file health check answer with a sentence that says what to use instead (412 for actions), and start
 * nothing (the vitest project "postgres" only; on SQLite admin-backups and maintenance cover them).
 */
let env: TestEnv;
let admin: AdminSession;
let acme: TenantRow;

beforeAll(async () => {
  env = await useTestEnv();
  acme = await tenantModel.createTenant(tenantInput("acme"));
  admin = await signInSystemAdmin();
});

afterAll(() => env.cleanup());

const BACKUPS_REFUSED =
  "This installation stores its data in PostgreSQL (DATABASE_URL), so Sigil's file backups (copies of SQLite files) do not apply. Back up the database with PostgreSQL's own tools: pg_dump, or a base backup with WAL archiving (docs/scaling.md: Backups).";

describe("operations on SQLite files, on PostgreSQL", () => {
  test("the console's backup pages say why backups do not apply; 'back up now' answers 412 with what to use instead", async () => {
    for (const [path, input] of [
      ["tenants.backups", undefined],
      ["tenants.backupState", { id: acme.id }],
    ] as const) {
      const result = await admin.call("query", path, input);
      expect(result.status, path).toBe(200);
      expect(JSON.stringify(result.data), path).toContain(JSON.stringify(BACKUPS_REFUSED).slice(1, -1));
    }
    for (const input of [{}, { tenantIds: [acme.id] }]) {
      const result = await admin.call("mutation", "tenants.backUpNow", input);
      expect([result.status, result.error?.message]).toEqual([412, BACKUPS_REFUSED]);
    }
  });

  test("maintenance backup and health runs are refused before they start, and no run is recorded", async () => {
    const backup = await admin.call("mutation", "maintenance.start", { kind: "backup" });
    expect([backup.status, backup.error?.message]).toEqual([412, BACKUPS_REFUSED]);
    const health = await admin.call("mutation", "maintenance.start", { kind: "health" });
    expect(health.status).toBe(412);
    expect(health.error?.message).toMatch(/integrity check of tenant files \(SQLite's quick_check\) does not apply/);
    expect(await maintenanceRunModel.recent(undefined, 10)).toEqual([]);
  });

  test("the backup service itself refuses (the CLI and the worker's schedule call it)", async () => {
    await expect(runBackup({ outDir: env.dataDir, tenants: [acme] })).rejects.toThrow(BACKUPS_REFUSED);
  });

  test("tenant archives (sigil export / import) are refused with what to use instead, and write nothing", async () => {
    const archive = join(env.dataDir, "acme.sigil-archive");
    await expect(exportTenantArchive(env.manager, acme.id, archive, { sigil: { version: null, commit: null }, includeSecrets: false })).rejects.toThrow(
      /archives are not available here\. Copy a tenant with pg_dump/,
    );
    await expect(importTenantArchive(env.manager, archive)).rejects.toThrow(/archives are not available here\. Copy a tenant with pg_dump/);
  });
});
