import { maintenanceRunModel, tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBackup } from "../../src/services/backups.ts";
import { signInSystemAdmin, type AdminSession } from "../admin-session.ts";
import { tenantInput, useTestEnv, type TestEnv } from "../harness.ts";

/**
 * On PostgreSQL there are no SQLite files to copy or quick_check: the admin console's backups and
 * the file health check answer 501 with a sentence that says what to use instead, and start
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
  "Backups of SQLite files are not available when Sigil stores its data in PostgreSQL; use pg_dump, or base backups with WAL archiving (docs/scaling.md).";

describe("operations on SQLite files, on PostgreSQL", () => {
  test("the console's backups, one tenant's state and 'back up now' answer 501 with what to use instead", async () => {
    for (const [type, path, input] of [
      ["query", "tenants.backups", undefined],
      ["query", "tenants.backupState", { id: acme.id }],
      ["mutation", "tenants.backUpNow", {}],
      ["mutation", "tenants.backUpNow", { tenantIds: [acme.id] }],
    ] as const) {
      const result = await admin.call(type, path, input);
      expect({ path, status: result.status, message: result.error?.message }).toEqual({ path, status: 501, message: BACKUPS_REFUSED });
    }
  });

  test("maintenance backup and health runs are refused before they start, and no run is recorded", async () => {
    const backup = await admin.call("mutation", "maintenance.start", { kind: "backup" });
    expect([backup.status, backup.error?.message]).toEqual([501, BACKUPS_REFUSED]);
    const health = await admin.call("mutation", "maintenance.start", { kind: "health" });
    expect(health.status).toBe(501);
    expect(health.error?.message).toBe(
      "Health checks of SQLite files are not available when Sigil stores its data in PostgreSQL; PostgreSQL checks its own pages (data checksums, amcheck) (docs/scaling.md).",
    );
    expect(await maintenanceRunModel.recent(undefined, 10)).toEqual([]);
  });

  test("the backup service itself refuses (the CLI and the worker's schedule call it)", async () => {
    await expect(runBackup({ outDir: env.dataDir, tenants: [acme] })).rejects.toThrow(BACKUPS_REFUSED);
  });
});
