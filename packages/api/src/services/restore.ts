import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  assertTenantFileFeature,
  BackupSetError,
  fileSha256,
  HybridDatabaseManager,
  HybridMigrationManager,
  readBackupSet,
  repairTenantControlPlane,
  restoreIntoLiveFile,
  SqliteFileDamagedError,
  tenantMaintenanceOf,
  verifySqliteFile,
  type ManifestFile,
  type MigrationFile,
  type TenantRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { AdminActor } from "./audit.ts";
import { recordAdminAction } from "./audit.ts";
import { enterMaintenance, restoreMaintenanceState } from "./tenant-maintenance.ts";

/**
 * Restores one tenant from a backup set (`sigil restore --tenant`). Everything is checked before
 * the live file is touched: the set's manifest lists this tenant's id, the copy's SHA-256 matches
 * the manifest, `integrity_check` passes and its schema is not newer than this code's. Any
 * failure → a sentence saying which, and the live tenant is untouched. Then the tenant goes into
 * maintenance (reason "restore"), the copy is written into the live file (@sigil/db
 * restore-in-place.ts: safe with other processes holding it open), the file is migrated if the
 * copy is older, the control plane's mirror is recomputed from it, and the previous maintenance
 * state comes back, also when a step failed.
 */
export interface RestoreReport {
  tenantId: string;
  slug: string;
  setPath: string;
  bytes: number;
  sha256: string;
  schemaVersion: number;
  migratedTo: number | null;
}

function refuse(message: string): TRPCError {
  return new TRPCError({ code: "PRECONDITION_FAILED", message });
}

export function readSet(from: string): ReturnType<typeof readBackupSet> {
  try {
    return readBackupSet(from);
  } catch (error) {
    if (error instanceof BackupSetError) throw refuse(error.message);
    throw error;
  }
}

/** Checksum against the manifest, integrity_check, schema not newer than the code's; `label` names the copy in messages. */
export async function verifyCopy(path: string, entry: ManifestFile, migrations: readonly MigrationFile[], label: string): Promise<void> {
  const sha256 = await fileSha256(path);
  if (sha256 !== entry.sha256) {
    throw refuse(`${label} is damaged: its SHA-256 is ${sha256}, the manifest says ${entry.sha256}. Nothing was restored.`);
  }
  let schemaVersion: number;
  try {
    ({ schemaVersion } = verifySqliteFile(path, migrations));
  } catch (error) {
    if (error instanceof SqliteFileDamagedError) throw refuse(`${label} fails integrity_check (${error.report}). Nothing was restored.`);
    throw error;
  }
  if (schemaVersion > migrations.length) {
    throw refuse(
      `${label} is at schema version ${schemaVersion}, newer than this code's ${migrations.length}. Restore it with the version of Sigil that made it.`,
    );
  }
}

/** The verified copy of `tenant` in the set at `from` (folder or manifest.json). */
export async function verifiedTenantCopy(tenant: TenantRow, from: string): Promise<{ setPath: string; entry: ManifestFile; path: string }> {
  const { setPath, manifest } = readSet(from);
  const entry = manifest.files.find((file) => file.kind === "tenant" && file.tenantId === tenant.id);
  if (!entry) throw refuse(`The backup set ${setPath} holds no copy of workspace "${tenant.slug}" (id ${tenant.id}).`);
  const path = join(setPath, entry.file);
  if (entry.file !== `tenant_${tenant.id}.sqlite` || !existsSync(path)) {
    throw refuse(`The backup set ${setPath} lists workspace "${tenant.slug}" but its file ${entry.file} is missing.`);
  }
  await verifyCopy(path, entry, HybridDatabaseManager.getInstance().tenantMigrations(), `The copy of "${tenant.slug}" in ${setPath}`);
  return { setPath, entry, path };
}

export async function restoreTenant(actor: AdminActor, tenant: TenantRow, from: string): Promise<RestoreReport> {
  assertTenantFileFeature("backups", HybridDatabaseManager.getInstance(), tenant.id);
  const { setPath, entry, path } = await verifiedTenantCopy(tenant, from);
  const manager = HybridDatabaseManager.getInstance();
  const previous = tenantMaintenanceOf(tenant);
  await enterMaintenance(actor, tenant.id, { reason: `restore from backup ${entry.takenAt}` });
  let migratedTo: number | null = null;
  try {
    await restoreIntoLiveFile(path, manager.tenantDatabasePath(tenant.id), manager.options.busyTimeoutMs);
    if (entry.schemaVersion < manager.tenantMigrations().length) {
      const report = await new HybridMigrationManager(manager).runTenantMigrations({ tenantIds: [tenant.id], concurrency: 1 });
      const failed = report.results.find((result) => result.status === "failed");
      if (failed) throw new Error(`The restored file could not be migrated to the current schema: ${failed.error ?? "unknown error"}`);
      migratedTo = report.latestVersion;
    }
    await repairTenantControlPlane(tenant.id, manager);
  } finally {
    await restoreMaintenanceState(actor, tenant.id, previous);
  }
  const report: RestoreReport = {
    tenantId: tenant.id,
    slug: tenant.slug,
    setPath,
    bytes: entry.bytes,
    sha256: entry.sha256,
    schemaVersion: entry.schemaVersion,
    migratedTo,
  };
  await recordAdminAction(actor, "tenant.restored", tenant, { setPath, takenAt: entry.takenAt, sha256: entry.sha256, migratedTo });
  return report;
}
