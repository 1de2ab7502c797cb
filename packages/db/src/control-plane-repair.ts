import { existsSync } from "node:fs";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Statement } from "better-sqlite3";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import { assertTenantId } from "./identifiers.ts";
import { TenantDatabaseMissingError, TenantNotFoundError } from "./errors.ts";
import { readSchemaVersion } from "./migrations/apply-migrations.ts";
import { openSqlite, type SqliteConnection } from "./sqlite-file.ts";
import { databaseFileBytes } from "./quick-check.ts";
import { readTenantStats } from "./usage-mirror.ts";
import { utcPeriod } from "./usage-periods.ts";

/**
 * The control-plane repair (docs/architecture.md, The control-plane mirror): recomputes a
 * tenant's totals from the rows of its own file, fixes the file's `tenant_stats` if the triggers'
 * running totals drifted, and rewrites the tenant's `tenant_usage` and `tenant_work` rows in
 * shared.sqlite from what the file holds. It closes the window a crash leaves between a tenant
 * commit and its mirror copy, and undoes any hand edit of the mirror.
 */

/** One value that was not what the rows say, where it was and what it is now. */
export interface TenantRepairDifference {
  table: "tenant_stats" | "tenant_usage" | "tenant_work";
  field: string;
  before: string | number | null;
  after: string | number | null;
}

export interface TenantRepairResult {
  tenantId: string;
  slug: string;
  /** consistent: nothing differed; repaired: `differences` were fixed; skipped: the file could not be repaired (see `error`). */
  state: "consistent" | "repaired" | "skipped";
  differences: TenantRepairDifference[];
  /** Migrations applied to the file (null when it could not be read). */
  schemaVersion: number | null;
  /** The file plus its `-wal`, in bytes. */
  databaseBytes: number;
  error?: string;
}

interface Recomputed {
  storageBytes: number;
  fileCount: number;
  promptCount: number;
  lastActivityAt: number | null;
  executionsPeriod: string;
  executionsInPeriod: number;
  pending: boolean;
  running: boolean;
  /** Webhook deliveries wait to be sent (pending, or claimed by a worker that may have died). */
  webhooks: boolean;
}

interface UsageRow {
  revision: number;
  storage_bytes: number;
  file_count: number;
  prompt_count: number;
  last_activity_at: number | null;
  executions_period: string | null;
  executions_in_period: number;
  schema_version: number | null;
}

interface WorkRow {
  pending_since: number | null;
  lease_check_at: number | null;
  webhooks_due_at: number | null;
}

const STATS_FIELDS = [
  ["storage_bytes", "storageBytes"],
  ["file_count", "fileCount"],
  ["prompt_count", "promptCount"],
  ["last_activity_at", "lastActivityAt"],
] as const;

function recompute(tenant: SqliteConnection, period: string): Recomputed {
  const row = tenant
    .prepare<[string], Omit<Recomputed, "executionsPeriod" | "pending" | "running" | "webhooks"> & { pending: number; running: number; webhooks: number }>(
      // The bytes the storage triggers count (tenant migrations 0002 and 0003): files, dataset items.
      `SELECT (SELECT coalesce(sum(size), 0) FROM files)
                + (SELECT coalesce(sum(length(CAST(variables AS BLOB)) + coalesce(length(CAST(expected_output AS BLOB)), 0) + length(CAST(tags AS BLOB))), 0)
                     FROM dataset_items) AS storageBytes,
              (SELECT count(*) FROM files) AS fileCount,
              (SELECT count(*) FROM prompts) AS promptCount,
              (SELECT max(created_at) FROM audit_log) AS lastActivityAt,
              coalesce((SELECT count FROM usage_counters WHERE metric = 'executions' AND period = ?), 0) AS executionsInPeriod,
              EXISTS (SELECT 1 FROM executions WHERE status = 'pending') AS pending,
              EXISTS (SELECT 1 FROM executions WHERE status = 'running') AS running,
              EXISTS (SELECT 1 FROM webhook_deliveries WHERE status IN ('pending', 'delivering')) AS webhooks`,
    )
    .get(period);
  if (!row) throw new Error("The tenant file answered no totals.");
  return { ...row, executionsPeriod: period, pending: row.pending === 1, running: row.running === 1, webhooks: row.webhooks === 1 };
}

/** Fixes the file's `tenant_stats` row (revision + 1) where it differs from the rows; returns the file's revision afterwards. */
function repairTenantStats(tenant: SqliteConnection, truth: Recomputed, differences: TenantRepairDifference[]): number {
  const stats = readTenantStats(tenant);
  const drifted = STATS_FIELDS.filter(([, key]) => stats?.[key] !== truth[key]);
  if (stats && drifted.length === 0) return stats.revision;
  for (const [column, key] of drifted) differences.push({ table: "tenant_stats", field: column, before: stats?.[key] ?? null, after: truth[key] });
  const revision = (stats?.revision ?? 0) + 1;
  tenant
    .prepare(
      `INSERT INTO tenant_stats (id, revision, storage_bytes, file_count, prompt_count, last_activity_at)
       VALUES (1, @revision, @storageBytes, @fileCount, @promptCount, @lastActivityAt)
       ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, storage_bytes = excluded.storage_bytes, file_count = excluded.file_count,
         prompt_count = excluded.prompt_count, last_activity_at = excluded.last_activity_at`,
    )
    .run({
      revision,
      storageBytes: truth.storageBytes,
      fileCount: truth.fileCount,
      promptCount: truth.promptCount,
      lastActivityAt: truth.lastActivityAt,
    });
  return revision;
}

const usageStatements = new WeakMap<SqliteConnection, { read: Statement<[string], UsageRow>; write: Statement<[Record<string, unknown>]> }>();

function usageStatementsOf(shared: SqliteConnection) {
  let statements = usageStatements.get(shared);
  if (!statements) {
    statements = {
      read: shared.prepare<[string], UsageRow>(
        `SELECT revision, storage_bytes, file_count, prompt_count, last_activity_at, executions_period, executions_in_period, schema_version
           FROM tenant_usage WHERE tenant_id = ?`,
      ),
      // Unconditional: it runs while the repair holds the tenant file's write lock, so no newer
      // revision can exist; a publisher that read an older one is still refused by its guard.
      write: shared.prepare(
        `INSERT INTO tenant_usage (tenant_id, revision, storage_bytes, file_count, prompt_count, last_activity_at, executions_period,
                                   executions_in_period, schema_version, database_bytes, database_measured_at, updated_at)
         VALUES (@tenantId, @revision, @storageBytes, @fileCount, @promptCount, @lastActivityAt, @executionsPeriod,
                 @executionsInPeriod, @schemaVersion, @databaseBytes, @now, @now)
         ON CONFLICT (tenant_id) DO UPDATE SET revision = excluded.revision, storage_bytes = excluded.storage_bytes,
           file_count = excluded.file_count, prompt_count = excluded.prompt_count, last_activity_at = excluded.last_activity_at,
           executions_period = excluded.executions_period, executions_in_period = excluded.executions_in_period,
           schema_version = excluded.schema_version, database_bytes = excluded.database_bytes,
           database_measured_at = excluded.database_measured_at, updated_at = excluded.updated_at`,
      ),
    };
    usageStatements.set(shared, statements);
  }
  return statements;
}

function compareUsage(before: UsageRow | undefined, after: Recomputed & { revision: number; schemaVersion: number | null }): TenantRepairDifference[] {
  const pairs: [string, string | number | null | undefined, string | number | null][] = [
    ["storage_bytes", before?.storage_bytes, after.storageBytes],
    ["file_count", before?.file_count, after.fileCount],
    ["prompt_count", before?.prompt_count, after.promptCount],
    ["last_activity_at", before?.last_activity_at, after.lastActivityAt],
    ["executions_period", before?.executions_period, after.executionsPeriod],
    ["executions_in_period", before?.executions_in_period, after.executionsInPeriod],
    ["schema_version", before?.schema_version, after.schemaVersion],
  ];
  // An empty month reads the same in either form: no row yet, or zero in the current period.
  if (before?.executions_in_period === 0 && after.executionsInPeriod === 0) pairs.splice(4, 1);
  const differences = pairs
    .filter(([, was, is]) => was === undefined || was !== is)
    .map(([field, was, is]): TenantRepairDifference => ({ table: "tenant_usage", field, before: was ?? null, after: is }));
  if (before === undefined) differences.unshift({ table: "tenant_usage", field: "row", before: null, after: "created" });
  return differences;
}

/**
 * Rebuilds the tenant's `tenant_work` row from its executions: pending ones keep (or get) a
 * pending mark, with a new generation so a worker finishing an older drain cannot clear it;
 * running ones get a lease check now; neither, no mark. Waiting webhook deliveries keep (or get,
 * due now) the deliverer's mark, which then finds their exact due time; none, no mark.
 */
function repairTenantWork(shared: SqliteConnection, tenantId: string, truth: Recomputed, now: number): TenantRepairDifference[] {
  const before = shared.prepare<[string], WorkRow>("SELECT pending_since, lease_check_at, webhooks_due_at FROM tenant_work WHERE tenant_id = ?").get(tenantId);
  shared
    .prepare(
      `INSERT INTO tenant_work (tenant_id, pending_since, pending_generation, lease_check_at, webhooks_due_at) VALUES (@tenantId, @pending, 1, @lease, @webhooks)
       ON CONFLICT (tenant_id) DO UPDATE SET
         pending_since = CASE WHEN @pending IS NULL THEN NULL ELSE coalesce(tenant_work.pending_since, @pending) END,
         pending_generation = tenant_work.pending_generation + (@pending IS NOT NULL),
         lease_check_at = @lease,
         webhooks_due_at = CASE WHEN @webhooks IS NULL THEN NULL ELSE min(coalesce(tenant_work.webhooks_due_at, @webhooks), @webhooks) END`,
    )
    .run({ tenantId, pending: truth.pending ? now : null, lease: truth.running ? now : null, webhooks: truth.webhooks ? now : null });
  const differences: TenantRepairDifference[] = [];
  const marked = (value: number | null | undefined) => (value === null || value === undefined ? "none" : "marked");
  if (before === undefined) differences.push({ table: "tenant_work", field: "row", before: null, after: "created" });
  if (marked(before?.pending_since) !== (truth.pending ? "marked" : "none")) {
    differences.push({ table: "tenant_work", field: "pending_since", before: marked(before?.pending_since), after: truth.pending ? "marked" : "none" });
  }
  if (marked(before?.lease_check_at) !== (truth.running ? "marked" : "none")) {
    differences.push({ table: "tenant_work", field: "lease_check_at", before: marked(before?.lease_check_at), after: truth.running ? "marked" : "none" });
  }
  if (marked(before?.webhooks_due_at) !== (truth.webhooks ? "marked" : "none")) {
    differences.push({ table: "tenant_work", field: "webhooks_due_at", before: marked(before?.webhooks_due_at), after: truth.webhooks ? "marked" : "none" });
  }
  return differences;
}

function registeredSlug(manager: HybridDatabaseManager, tenantId: string): string {
  const row = manager.getSharedDatabase().$client.prepare<[string], { slug: string }>("SELECT slug FROM tenants WHERE id = ?").get(tenantId);
  if (!row) throw new TenantNotFoundError(tenantId);
  return row.slug;
}

/**
 * Repairs one tenant's control-plane rows from its file. The file is opened on a connection of its
 * own after a registry check (like the pool, never creating one), so the pool's handles are left
 * alone. A file behind the code's schema is not migrated here: only its schema version and size
 * are recorded, and the result says why it was skipped.
 */
export function repairTenantControlPlaneSync(tenantId: string, manager = HybridDatabaseManager.getInstance(), now = new Date()): TenantRepairResult {
  assertTenantId(tenantId);
  const slug = registeredSlug(manager, tenantId);
  const path = manager.tenantDatabasePath(tenantId);
  if (!existsSync(path)) throw new TenantDatabaseMissingError(tenantId);
  const shared = manager.getSharedDatabase().$client;
  const migrations = manager.tenantMigrations();
  const tenant = openSqlite(path, { fileMustExist: true, synchronous: manager.options.synchronous, busyTimeoutMs: manager.options.busyTimeoutMs });
  try {
    const schemaVersion = readSchemaVersion(tenant, migrations);
    const databaseBytes = databaseFileBytes(path);
    if (schemaVersion < migrations.length) {
      shared
        .prepare("UPDATE tenant_usage SET schema_version = ?, database_bytes = ?, database_measured_at = ? WHERE tenant_id = ?")
        .run(schemaVersion, databaseBytes, now.getTime(), tenantId);
      const error = `The file is at schema version ${schemaVersion} of ${migrations.length}; run pnpm db:migrate, then repair again.`;
      return { tenantId, slug, state: "skipped", differences: [], schemaVersion, databaseBytes, error };
    }
    // The tenant's write lock is held until the mirror is written: no tenant write can commit in
    // between, so what is written to shared.sqlite is the file's latest state.
    tenant.exec("BEGIN IMMEDIATE");
    try {
      const truth = recompute(tenant, utcPeriod(now));
      const differences: TenantRepairDifference[] = [];
      const revision = repairTenantStats(tenant, truth, differences);
      const statements = usageStatementsOf(shared);
      shared
        .transaction(() => {
          differences.push(...compareUsage(statements.read.get(tenantId), { ...truth, revision, schemaVersion }));
          statements.write.run({
            tenantId,
            revision,
            storageBytes: truth.storageBytes,
            fileCount: truth.fileCount,
            promptCount: truth.promptCount,
            lastActivityAt: truth.lastActivityAt,
            executionsPeriod: truth.executionsPeriod,
            executionsInPeriod: truth.executionsInPeriod,
            schemaVersion,
            databaseBytes,
            now: now.getTime(),
          });
          differences.push(...repairTenantWork(shared, tenantId, truth, now.getTime()));
        })
        .immediate();
      tenant.exec("COMMIT");
      return { tenantId, slug, state: differences.length === 0 ? "consistent" : "repaired", differences, schemaVersion, databaseBytes };
    } catch (error) {
      if (tenant.inTransaction) tenant.exec("ROLLBACK");
      throw error;
    }
  } finally {
    tenant.close();
  }
}

/** See repairTenantControlPlaneSync; async so a background job can run it between other work. */
export function repairTenantControlPlane(tenantId: string): Promise<TenantRepairResult> {
  return Promise.resolve().then(() => repairTenantControlPlaneSync(tenantId));
}

export interface RepairProgress {
  done: number;
  total: number;
  repaired: number;
  failed: number;
  result: TenantRepairResult;
}

export interface RepairAllOptions {
  /** Only these tenants (default: every registered tenant). */
  tenantIds?: string[];
  /** Tenants repaired between two yields to the event loop (default 20). */
  chunkSize?: number;
  onProgress?: (progress: RepairProgress) => void;
  signal?: AbortSignal;
}

export interface RepairAllReport {
  total: number;
  consistent: number;
  repaired: number;
  /** Files that could not be repaired (missing, unreadable, behind the schema). */
  failed: number;
  /** Only the tenants that were repaired or failed: at 10,000 tenants the consistent ones say nothing. */
  results: TenantRepairResult[];
  durationMs: number;
}

/**
 * Repairs every tenant (or `tenantIds`) one after the other, yielding to the event loop after each
 * chunk so a server running it keeps answering. A tenant that fails is reported and the run goes on.
 */
export async function repairAllTenants(options: RepairAllOptions = {}): Promise<RepairAllReport> {
  const started = performance.now();
  const manager = HybridDatabaseManager.getInstance();
  const chunkSize = Math.max(1, options.chunkSize ?? 20);
  const registered = manager
    .getSharedDatabase()
    .$client.prepare<[], { id: string; slug: string }>("SELECT id, slug FROM tenants ORDER BY created_at, id")
    .all();
  const wanted = options.tenantIds ? new Set(options.tenantIds) : undefined;
  const targets = registered.filter((row) => !wanted || wanted.has(row.id));
  const report: RepairAllReport = { total: targets.length, consistent: 0, repaired: 0, failed: 0, results: [], durationMs: 0 };
  for (const [index, target] of targets.entries()) {
    if (options.signal?.aborted) break;
    let result: TenantRepairResult;
    try {
      result = repairTenantControlPlaneSync(target.id, manager);
    } catch (error) {
      result = {
        tenantId: target.id,
        slug: target.slug,
        state: "skipped",
        differences: [],
        schemaVersion: null,
        databaseBytes: databaseFileBytes(manager.tenantDatabasePath(target.id)),
        error: error instanceof Error ? error.message : String(error),
      };
    }
    if (result.state === "consistent") report.consistent += 1;
    else report.results.push(result);
    if (result.state === "repaired") report.repaired += 1;
    if (result.state === "skipped") report.failed += 1;
    options.onProgress?.({ done: index + 1, total: targets.length, repaired: report.repaired, failed: report.failed, result });
    if ((index + 1) % chunkSize === 0) await yieldToEventLoop();
  }
  report.durationMs = performance.now() - started;
  return report;
}
