import { HybridDatabaseManager, tenantBackupModel, tenantModel, type TenantBackupRow, type TenantRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { backupSettings } from "../server-settings.ts";
import { assertFileBackups, defaultBackupDir, runBackup } from "./backups.ts";

/** The admin console's view of backups (routers/tenants.ts): settings, each tenant's latest, "back up now". */

export interface PublicBackup {
  takenAt: Date;
  outcome: TenantBackupRow["outcome"];
  bytes: number | null;
  sha256: string | null;
  reused: boolean;
  setPath: string;
  error: string | null;
}

function toPublicBackup(row: TenantBackupRow | null): PublicBackup | null {
  return row === null
    ? null
    : { takenAt: row.takenAt, outcome: row.outcome, bytes: row.bytes, sha256: row.sha256, reused: row.reused, setPath: row.setPath, error: row.error };
}

/** Where "back up now" writes and what the worker's schedule is. */
export function backupTarget() {
  assertFileBackups();
  const settings = backupSettings();
  return {
    dir: settings.dir ?? defaultBackupDir(HybridDatabaseManager.getInstance().options.dataDir),
    scheduled: settings.dir !== null,
    intervalMs: settings.intervalMs,
    retention: settings.retention,
  };
}

/** Every tenant's latest backup and latest good one (one query over tenant_backups). */
export async function backupOverview() {
  const latest = await tenantBackupModel.latestByTenant();
  const tenants = await tenantModel.findMany({ orderBy: { column: "createdAt" } });
  return {
    target: backupTarget(),
    tenants: tenants.map((tenant) => {
      const entry = latest.get(tenant.id);
      return {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        latest: toPublicBackup(entry?.latest ?? null),
        lastGood: toPublicBackup(entry?.lastGood ?? null),
      };
    }),
  };
}

/** One tenant's latest backup and latest good one. */
export async function tenantBackupState(tenantId: string) {
  assertFileBackups();
  const rows = await tenantBackupModel.forTenant(tenantId, 50);
  return { latest: toPublicBackup(rows[0] ?? null), lastGood: toPublicBackup(rows.find((row) => row.outcome === "ok") ?? null) };
}

let running = false;

/**
 * "Back up now" from the admin console: one set of some tenants or of everything (with
 * shared.sqlite), taken by this server process, with the schedule's retention when BACKUP_DIR is
 * set. One at a time per process: a second request while one runs is refused with 409.
 */
export async function backUpNow(tenants: "all" | TenantRow[]) {
  if (running) throw new TRPCError({ code: "CONFLICT", message: "A backup started from the console is still running; wait for it to finish." });
  running = true;
  try {
    const target = backupTarget();
    const report = await runBackup({ outDir: target.dir, tenants, ...(target.scheduled ? { retention: target.retention } : {}) });
    return {
      setPath: report.setPath,
      files: report.manifest.files.length,
      reused: report.manifest.files.filter((file) => file.reusedFrom !== null).length,
      bytes: report.manifest.files.reduce((sum, file) => sum + file.bytes, 0),
      failures: report.manifest.failures,
      pruned: report.pruned.length,
    };
  } finally {
    running = false;
  }
}
