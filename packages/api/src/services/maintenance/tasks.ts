import {
  HybridDatabaseManager,
  HybridMigrationManager,
  TenantDatabaseMissingError,
  TenantNotFoundError,
  repairTenantControlPlane,
  type MaintenanceKind,
  type MaintenanceOutcome,
  type TenantMigrationResult,
  type TenantRepairDifference,
} from "@sigil/db";
import { tenantDatabaseBytes } from "../tenant-usage.ts";
import { perTenantTask, type MaintenanceTask, type MaintenanceTarget, type SliceLimits, type StepOutcome } from "./task.ts";

/** Outcomes of each kind, in the order the dashboard lists them (problems first). */
export const MAINTENANCE_OUTCOMES = {
  health: ["problem", "missing", "failed", "deleted", "ok"],
  migrate: ["failed", "deleted", "applied", "up_to_date"],
  repair: ["failed", "skipped", "deleted", "repaired", "consistent"],
} as const satisfies Record<MaintenanceKind, readonly string[]>;

export type MaintenanceOutcomeName = (typeof MAINTENANCE_OUTCOMES)[MaintenanceKind][number];

const DELETED: StepOutcome = { outcome: "deleted", detail: "The tenant was deleted before the run reached it.", databaseBytes: null, failed: false };

/**
 * Health of one tenant file: SQLite's quick_check on a connection of its own (never the pool,
 * which would migrate an outdated file on open) and the file's size. Damage and a missing file
 * are outcomes, not errors; nothing is created.
 */
export async function checkTenantHealth(target: MaintenanceTarget): Promise<StepOutcome> {
  try {
    const check = HybridDatabaseManager.getInstance().quickCheck(target.tenantId);
    return { outcome: check.ok ? "ok" : "problem", detail: check.result, databaseBytes: tenantDatabaseBytes(target.tenantId), failed: !check.ok };
  } catch (error) {
    if (error instanceof TenantNotFoundError) return DELETED;
    if (error instanceof TenantDatabaseMissingError) return { outcome: "missing", detail: error.message, databaseBytes: 0, failed: true };
    throw error;
  }
}

function describeDifference({ table, field, before, after }: TenantRepairDifference): string {
  return `${table === "tenant_usage" ? "" : `${table}.`}${field} ${before ?? "none"} → ${after ?? "none"}`;
}

/**
 * Recomputes one tenant's control-plane rows (tenant_usage, tenant_work, the file's tenant_stats)
 * from its file (packages/db/src/control-plane-repair.ts) and says what differed. A file behind
 * the code's schema is skipped (a failure: it needs migrating first); a missing file is a failure.
 */
export async function repairTenantUsage(target: MaintenanceTarget): Promise<StepOutcome> {
  try {
    const result = await repairTenantControlPlane(target.tenantId);
    if (result.state === "skipped") return { outcome: "skipped", detail: result.error ?? "Skipped.", databaseBytes: result.databaseBytes, failed: true };
    const detail = result.state === "repaired" ? result.differences.map(describeDifference).join("; ") : "Nothing differed.";
    return { outcome: result.state, detail, databaseBytes: result.databaseBytes, failed: false };
  } catch (error) {
    if (error instanceof TenantNotFoundError) return DELETED;
    if (error instanceof TenantDatabaseMissingError) return { outcome: "failed", detail: error.message, databaseBytes: 0, failed: true };
    throw error;
  }
}

function migrationOutcome(result: TenantMigrationResult): MaintenanceOutcome {
  const detail =
    result.status === "failed"
      ? (result.error ?? "Failed.")
      : result.status === "applied"
        ? `v${result.fromVersion} → v${result.toVersion} (${result.applied} ${result.applied === 1 ? "migration" : "migrations"})`
        : `v${result.toVersion}`;
  return {
    tenantId: result.tenantId,
    slug: result.slug,
    outcome: result.status,
    detail,
    databaseBytes: null,
    durationMs: Math.round(result.durationMs * 10) / 10,
    failed: result.status === "failed",
  };
}

/** How often the migrate task hands finished tenants to the run (progress), at most. */
const MIGRATE_REPORT_EVERY_MS = 250;

/**
 * Migrates the targets with the migration runner (worker threads: the server's thread only
 * passes messages). Results are recorded in batches as tenants finish; a tenant deleted since
 * the run started is reported as such, so every target gets a result.
 */
export const migrateTask: MaintenanceTask = {
  async run(targets, report, signal) {
    let batch: MaintenanceOutcome[] = [];
    let reporting: Promise<void> = Promise.resolve();
    const seen = new Set<string>();
    const flush = () => {
      if (batch.length === 0) return;
      const outcomes = batch;
      batch = [];
      reporting = reporting.then(() => report(outcomes));
    };
    const timer = setInterval(flush, MIGRATE_REPORT_EVERY_MS);
    try {
      await new HybridMigrationManager(HybridDatabaseManager.getInstance()).runTenantMigrations({
        tenantIds: targets.map((target) => target.tenantId),
        signal,
        onProgress: ({ result }) => {
          seen.add(result.tenantId);
          batch.push(migrationOutcome(result));
        },
      });
    } finally {
      clearInterval(timer);
    }
    if (!signal.aborted) {
      for (const target of targets) {
        if (!seen.has(target.tenantId)) batch.push({ ...DELETED, tenantId: target.tenantId, slug: target.slug, durationMs: 0 });
      }
    }
    flush();
    await reporting;
  },
};

/**
 * The task of each kind. To add a kind: add it to MAINTENANCE_KINDS
 * (packages/db/src/schema/shared/maintenance.ts; the column needs no migration), its outcomes
 * above, and here its task (a per-tenant step, like health and repair).
 */
export function maintenanceTask(kind: MaintenanceKind, slice?: SliceLimits): MaintenanceTask {
  switch (kind) {
    case "health":
      return perTenantTask(checkTenantHealth, slice);
    case "migrate":
      return migrateTask;
    case "repair":
      return perTenantTask(repairTenantUsage, slice);
  }
}
