import {
  assertFileFeatureAvailable,
  HybridDatabaseManager,
  tenantModel,
  type TenantRow,
  quickCheckTenants,
  type TenantHealth,
  HybridMigrationManager,
  TenantDatabaseMissingError,
  TenantNotFoundError,
  repairTenantControlPlane,
  type MaintenanceKind,
  type MaintenanceOutcome,
  type TenantMigrationResult,
  type TenantRepairDifference,
} from "@sigil/db";
import { backupTarget } from "../backup-status.ts";
import { runBackup } from "../backups.ts";
import { perTenantTask, roundMs, type MaintenanceTask, type MaintenanceTarget, type SliceLimits, type StepOutcome } from "./task.ts";

/** Outcomes of each kind, in the order the dashboard lists them (problems first). */
export const MAINTENANCE_OUTCOMES = {
  health: ["problem", "missing", "failed", "deleted", "on_postgres", "ok"],
  migrate: ["failed", "deleted", "applied", "up_to_date"],
  repair: ["failed", "skipped", "deleted", "repaired", "consistent"],
  backup: ["failed", "deleted", "on_postgres", "copied", "reused"],
} as const satisfies Record<MaintenanceKind, readonly string[]>;

export type MaintenanceOutcomeName = (typeof MAINTENANCE_OUTCOMES)[MaintenanceKind][number];

const ON_POSTGRES_BACKUP: StepOutcome = {
  outcome: "on_postgres",
  detail: "Its tables live in PostgreSQL (TENANT_POSTGRES_URL): back them up with pg_dump of its schema (docs/scaling.md: Backups).",
  databaseBytes: null,
  failed: false,
};

const DELETED: StepOutcome = { outcome: "deleted", detail: "The tenant was deleted before the run reached it.", databaseBytes: null, failed: false };

function healthOutcome(health: TenantHealth, slug: string): MaintenanceOutcome {
  const who = { tenantId: health.tenantId, slug, durationMs: roundMs(health.durationMs) };
  switch (health.state) {
    case "deleted":
      return { ...DELETED, ...who };
    case "on_postgres":
      return { ...who, outcome: "on_postgres", detail: health.result, databaseBytes: null, failed: false };
    case "missing":
      return { ...who, outcome: "missing", detail: new TenantDatabaseMissingError(health.tenantId).message, databaseBytes: 0, failed: true };
    case "ok":
    case "problem":
      return { ...who, outcome: health.state, detail: health.result, databaseBytes: health.databaseBytes, failed: health.state === "problem" };
  }
}

/**
 * SQLite's quick_check on every target's file, on worker threads (packages/db/src/tenant-health.ts):
 * the server's thread only books results, in batches as tenants finish, so it keeps answering
 * requests during a run over 10,000 tenants. Damage, a missing file and a tenant deleted meanwhile
 * are outcomes, not errors; nothing is created.
 */
export const healthTask: MaintenanceTask = {
  async run(targets, report, signal) {
    const slugs = new Map(targets.map((target) => [target.tenantId, target.slug]));
    const reporter = batchedReporter(report);
    try {
      await quickCheckTenants(
        targets.map((target) => target.tenantId),
        { signal, lowPriority: true, onResult: (health) => reporter.add(healthOutcome(health, slugs.get(health.tenantId) ?? health.tenantId)) },
      );
    } finally {
      await reporter.finish();
    }
  },
};

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
    durationMs: roundMs(result.durationMs),
    failed: result.status === "failed",
  };
}

/** How often a worker-thread task hands finished tenants to the run (progress), at most. */
const REPORT_EVERY_MS = 250;

/**
 * Collects outcomes and hands them to `report` every REPORT_EVERY_MS, in order, one batch at a
 * time; `finish` hands over the rest and waits for every batch (and rethrows a failed one).
 */
function batchedReporter(report: (outcomes: MaintenanceOutcome[]) => Promise<void>) {
  let batch: MaintenanceOutcome[] = [];
  let reporting: Promise<void> = Promise.resolve();
  const flush = () => {
    if (batch.length === 0) return;
    const outcomes = batch;
    batch = [];
    reporting = reporting.then(() => report(outcomes));
  };
  const timer = setInterval(flush, REPORT_EVERY_MS);
  return {
    add: (outcome: MaintenanceOutcome) => batch.push(outcome),
    finish: async () => {
      clearInterval(timer);
      flush();
      await reporting;
    },
  };
}

/**
 * Migrates the targets with the migration runner (worker threads: the server's thread only
 * books results), recorded in batches as tenants finish; a tenant deleted since the run started
 * is reported as such, so every target gets a result.
 */
export const migrateTask: MaintenanceTask = {
  async run(targets, report, signal) {
    const seen = new Set<string>();
    const reporter = batchedReporter(report);
    try {
      await new HybridMigrationManager(HybridDatabaseManager.getInstance()).runTenantMigrations({
        tenantIds: targets.map((target) => target.tenantId),
        signal,
        lowPriority: true,
        onProgress: ({ result }) => {
          seen.add(result.tenantId);
          reporter.add(migrationOutcome(result));
        },
      });
      if (!signal.aborted) {
        for (const target of targets) {
          if (!seen.has(target.tenantId)) reporter.add({ ...DELETED, tenantId: target.tenantId, slug: target.slug, durationMs: 0 });
        }
      }
    } finally {
      await reporter.finish();
    }
  },
};

const BACKUP_DETAIL = {
  copied: "Copied into the set.",
  reused: "Unchanged since the previous set: linked to its copy.",
} as const;

function isTenant(row: TenantRow | null): row is TenantRow {
  return row !== null;
}

/**
 * "Back up everything now" from the admin console, as a run: one backup set (services/backups.ts;
 * with shared.sqlite when it is of every tenant) into the backup folder with the schedule's
 * retention, taken by this server process, each tenant's outcome recorded as its file is done so
 * the page shows progress however many tenants there are. The run fails (with the reason) if the
 * set as a whole could not be written. A set is one moment's copies, so a backup run cannot be
 * cancelled half-way (routers/maintenance.ts refuses). Where file backups do not apply
 * (PostgreSQL) no run is started: NotOnThisEngineError, with what to use instead.
 */
export function backupTask(everything: boolean): MaintenanceTask {
  assertFileFeatureAvailable("backups", HybridDatabaseManager.getInstance());
  return {
    async run(targets, report) {
      const waiting = new Map(targets.map((target) => [target.tenantId, target]));
      const reporter = batchedReporter(report);
      let last = performance.now();
      try {
        const tenants = everything ? "all" : (await Promise.all(targets.map((target) => tenantModel.findById(target.tenantId)))).filter(isTenant);
        const destination = backupTarget();
        const { onPostgres } = await runBackup({
          outDir: destination.dir,
          tenants,
          ...(destination.scheduled ? { retention: destination.retention } : {}),
          onProgress: ({ source, outcome, error }) => {
            const now = performance.now();
            const target = source.tenantId === null ? undefined : waiting.get(source.tenantId);
            if (target) {
              waiting.delete(target.tenantId);
              const detail = outcome === "failed" ? (error ?? "The copy failed.") : BACKUP_DETAIL[outcome];
              reporter.add({ ...target, outcome, detail, databaseBytes: null, durationMs: roundMs(now - last), failed: outcome === "failed" });
            }
            last = now;
          },
        });
        for (const target of waiting.values()) {
          const onPostgresNow = onPostgres.includes(target.slug);
          reporter.add({ ...(onPostgresNow ? ON_POSTGRES_BACKUP : DELETED), ...target, durationMs: 0 });
        }
      } finally {
        await reporter.finish();
      }
    },
  };
}

/**
 * The task of each kind. To add a kind: add it to MAINTENANCE_KINDS
 * (packages/db/src/schema/shared/maintenance.ts; the column needs no migration), its outcomes
 * above, and here its task (a per-tenant step, like health and repair).
 */
export function maintenanceTask(kind: MaintenanceKind, slice?: SliceLimits, everyTenant = true): MaintenanceTask {
  switch (kind) {
    case "health":
      // A check of SQLite files: on PostgreSQL no run is started (NotOnThisEngineError says why).
      assertFileFeatureAvailable("integrity check", HybridDatabaseManager.getInstance());
      return healthTask;
    case "migrate":
      return migrateTask;
    case "repair":
      return perTenantTask(repairTenantUsage, slice);
    case "backup":
      return backupTask(everyTenant);
  }
}
