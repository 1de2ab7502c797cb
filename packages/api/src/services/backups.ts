import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  assertFileFeatureAvailable,
  assertTenantFileFeature,
  HybridDatabaseManager,
  listBackupSets,
  readBackupSet,
  sharedBackupSource,
  takeBackupSet,
  tenantBackupModel,
  tenantBackupSource,
  tenantModel,
  type BackupManifest,
  type BackupProgress,
  type NewTenantBackup,
  type TenantRow,
} from "@sigil/db";

/**
 * Backups of the installation, whoever takes them: `sigil backup` (apps/cli), the worker's
 * schedule (worker/backup-schedule.ts) and the admin console's "back up now" (routers/backups.ts).
 * A backup set is a folder of consistent copies plus `manifest.json` (@sigil/db backup-set.ts);
 * each tenant file's outcome is recorded in shared.sqlite (`tenant_backups`) for the dashboard.
 */

/** Where backups go when BACKUP_DIR is not set: `backups` beside the data directory (not inside it). */
export function defaultBackupDir(dataDir: string): string {
  return join(dirname(dataDir), "backups");
}

export interface BackupRequest {
  outDir: string;
  /** Every tenant and shared.sqlite, or only these tenants (shared.sqlite is then left out). */
  tenants: "all" | TenantRow[];
  /** Sets to keep in outDir after this one (older ones are removed); undefined: keep all. */
  retention?: number;
  onProgress?: (progress: BackupProgress) => void;
}

export interface BackupReport {
  setPath: string;
  manifest: BackupManifest;
  /** Sets removed by the retention. */
  pruned: string[];
  /** Tenants left out because their tables live in PostgreSQL (TENANT_POSTGRES_URL): no file to copy. */
  onPostgres: string[];
}

/** Takes one backup set, records each tenant's outcome, then applies the retention. Refused (NotOnThisEngineError) where file backups do not apply. */
export async function runBackup(request: BackupRequest): Promise<BackupReport> {
  const manager = HybridDatabaseManager.getInstance();
  assertFileFeatureAvailable("backups", manager);
  const everyTenant = request.tenants === "all" ? await tenantModel.findMany({ orderBy: { column: "createdAt" } }) : request.tenants;
  // The rows say where each tenant lives: no second registry read per tenant.
  const tenants = everyTenant.filter((tenant) => tenant.placement === "local");
  const onPostgres = everyTenant.filter((tenant) => !tenants.includes(tenant)).map((tenant) => tenant.slug);
  // Asked for named tenants that all live in PostgreSQL: say why instead of writing an empty set.
  const [first] = everyTenant;
  if (request.tenants !== "all" && tenants.length === 0 && first) assertTenantFileFeature("backups", manager, first.id);
  const sources = [...(request.tenants === "all" ? [sharedBackupSource(manager)] : []), ...tenants.map((tenant) => tenantBackupSource(manager, tenant))];
  const sharedStatus = await manager.sharedSchemaStatus();
  const { setPath, manifest } = await takeBackupSet({
    outDir: request.outDir,
    scope: request.tenants === "all" ? "all" : "tenants",
    sources,
    sigil: { sharedSchemaVersion: sharedStatus.latest, tenantSchemaVersion: manager.tenantMigrations().length },
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  await tenantBackupModel.record(recordsOf(setPath, manifest));
  const pruned = request.retention === undefined ? [] : pruneBackupSets(request.outDir, request.retention);
  return { setPath, manifest, pruned, onPostgres };
}

function recordsOf(setPath: string, manifest: BackupManifest): NewTenantBackup[] {
  const takenAt = new Date(manifest.createdAt);
  const ok = manifest.files.flatMap((file): NewTenantBackup[] =>
    file.tenantId === null
      ? []
      : [{ tenantId: file.tenantId, setPath, takenAt, outcome: "ok", bytes: file.bytes, sha256: file.sha256, reused: file.reusedFrom !== null, error: null }],
  );
  const failed = manifest.failures.flatMap((failure): NewTenantBackup[] =>
    failure.tenantId === null
      ? []
      : [{ tenantId: failure.tenantId, setPath, takenAt, outcome: "failed", bytes: null, sha256: null, reused: false, error: failure.error }],
  );
  return [...ok, ...failed];
}

/**
 * Keeps the newest `keep` sets of `outDir` and removes the others, except the newest complete one
 * (no failures), which is kept even when newer sets all had failures. Removing a set never loses
 * a file a kept set links to: links are separate names of the same data.
 */
export function pruneBackupSets(outDir: string, keep: number): string[] {
  const sets = listBackupSets(outDir);
  const newestGood = [...sets].reverse().find((set) => {
    try {
      return readBackupSet(set).manifest.failures.length === 0;
    } catch {
      return false;
    }
  });
  const removable = sets.slice(0, Math.max(0, sets.length - keep)).filter((set) => set !== newestGood);
  for (const set of removable) rmSync(set, { recursive: true, force: true });
  return removable;
}
