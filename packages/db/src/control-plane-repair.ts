import { existsSync } from "node:fs";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { and, asc, count, eq, inArray, max, sql } from "drizzle-orm";
import { byteLength, epochMs, sumOf } from "./engine/dialect.ts";
import type { Session } from "./engine/session.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import { assertTenantId } from "./identifiers.ts";
import { TenantDatabaseMissingError, TenantNotFoundError } from "./errors.ts";
import { readSchemaVersion } from "./migrations/apply-migrations.ts";
import type { MigrationFile } from "./migrations/migration-files.ts";
import { openSqlite } from "./sqlite-file.ts";
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

const STATS_FIELDS = [
  ["storage_bytes", "storageBytes"],
  ["file_count", "fileCount"],
  ["prompt_count", "promptCount"],
  ["last_activity_at", "lastActivityAt"],
] as const;

/** The totals the tenant's rows say, read in a session of its store (one snapshot). */
async function recompute(s: Session, period: string): Promise<Recomputed> {
  const { files, datasetItems, prompts, auditLog, usageCounters, executions, webhookDeliveries } = s.t;
  const [fileTotals] = await s.db.select({ bytes: sumOf(files.size), count: count() }).from(files);
  // The bytes the storage triggers count (tenant migrations 0002 and 0003): files, dataset items.
  const [itemTotals] = await s.db
    .select({
      bytes: sumOf(
        sql`${byteLength(s, datasetItems.variables)} + coalesce(${byteLength(s, datasetItems.expectedOutput)}, 0) + ${byteLength(s, datasetItems.tags)}`,
      ),
    })
    .from(datasetItems);
  const [promptTotals] = await s.db.select({ count: count() }).from(prompts);
  const [activity] = await s.db.select({ at: max(auditLog.createdAt) }).from(auditLog);
  const [executionsCounter] = await s.db
    .select({ count: usageCounters.count })
    .from(usageCounters)
    .where(and(eq(usageCounters.metric, "executions"), eq(usageCounters.period, period)))
    .limit(1);
  const anyExecution = async (status: "pending" | "running") =>
    (await s.db.select({ id: executions.id }).from(executions).where(eq(executions.status, status)).limit(1)).length > 0;
  const waitingWebhooks = await s.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.status, ["pending", "delivering"]))
    .limit(1);
  return {
    storageBytes: (fileTotals?.bytes ?? 0) + (itemTotals?.bytes ?? 0),
    fileCount: fileTotals?.count ?? 0,
    promptCount: promptTotals?.count ?? 0,
    lastActivityAt: epochMs(activity?.at),
    executionsPeriod: period,
    executionsInPeriod: Number(executionsCounter?.count ?? 0),
    pending: await anyExecution("pending"),
    running: await anyExecution("running"),
    webhooks: waitingWebhooks.length > 0,
  };
}

/** Fixes the file's `tenant_stats` row (revision + 1) where it differs from the rows; returns the file's revision afterwards. */
async function repairTenantStats(s: Session, truth: Recomputed, differences: TenantRepairDifference[]): Promise<number> {
  const stats = await readTenantStats(s);
  const drifted = STATS_FIELDS.filter(([, key]) => stats?.[key] !== truth[key]);
  if (stats && drifted.length === 0) return stats.revision;
  for (const [column, key] of drifted) differences.push({ table: "tenant_stats", field: column, before: stats?.[key] ?? null, after: truth[key] });
  const revision = (stats?.revision ?? 0) + 1;
  const totals = {
    revision,
    storageBytes: truth.storageBytes,
    fileCount: truth.fileCount,
    promptCount: truth.promptCount,
    lastActivityAt: truth.lastActivityAt === null ? null : new Date(truth.lastActivityAt),
  };
  const { tenantStats } = s.t;
  await s.db
    .insert(tenantStats)
    .values({ id: 1, ...totals })
    .onConflictDoUpdate({ target: tenantStats.id, set: totals });
  return revision;
}

/** The tenant's `tenant_usage` row as the comparison reads it (instants in epoch milliseconds). */
async function readUsage(s: Session, tenantId: string): Promise<UsageRow | undefined> {
  const { tenantUsage } = s.t;
  const [row] = await s.db.select().from(tenantUsage).where(eq(tenantUsage.tenantId, tenantId)).limit(1);
  if (!row) return undefined;
  return {
    revision: row.revision,
    storage_bytes: row.storageBytes,
    file_count: row.fileCount,
    prompt_count: row.promptCount,
    last_activity_at: epochMs(row.lastActivityAt),
    executions_period: row.executionsPeriod,
    executions_in_period: row.executionsInPeriod,
    schema_version: row.schemaVersion,
  };
}

/**
 * Writes the tenant's `tenant_usage` row from the file. Unconditional: it runs while the repair
 * holds the tenant file's write session, so no newer revision can exist; a publisher that read an
 * older one is still refused by its guard (usage-mirror.ts).
 */
async function writeUsage(
  s: Session,
  tenantId: string,
  truth: Recomputed & { revision: number; schemaVersion: number; databaseBytes: number },
  now: Date,
): Promise<void> {
  const { tenantUsage } = s.t;
  const values = {
    revision: truth.revision,
    storageBytes: truth.storageBytes,
    fileCount: truth.fileCount,
    promptCount: truth.promptCount,
    lastActivityAt: truth.lastActivityAt === null ? null : new Date(truth.lastActivityAt),
    executionsPeriod: truth.executionsPeriod,
    executionsInPeriod: truth.executionsInPeriod,
    schemaVersion: truth.schemaVersion,
    databaseBytes: truth.databaseBytes,
    databaseMeasuredAt: now,
    updatedAt: now,
  };
  await s.db
    .insert(tenantUsage)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: tenantUsage.tenantId, set: values });
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
async function repairTenantWork(s: Session, tenantId: string, truth: Recomputed, now: Date): Promise<TenantRepairDifference[]> {
  const { tenantWork } = s.t;
  const [before] = await s.db
    .select({ pendingSince: tenantWork.pendingSince, leaseCheckAt: tenantWork.leaseCheckAt, webhooksDueAt: tenantWork.webhooksDueAt })
    .from(tenantWork)
    .where(eq(tenantWork.tenantId, tenantId))
    .limit(1);
  // `now` bound as each column encodes an instant (epoch ms in SQLite, timestamptz in PostgreSQL).
  const at = (column: typeof tenantWork.pendingSince) => sql.param(now, column);
  await s.db
    .insert(tenantWork)
    .values({
      tenantId,
      pendingSince: truth.pending ? now : null,
      pendingGeneration: 1,
      leaseCheckAt: truth.running ? now : null,
      webhooksDueAt: truth.webhooks ? now : null,
    })
    .onConflictDoUpdate({
      target: tenantWork.tenantId,
      set: {
        ...(truth.pending
          ? {
              pendingSince: sql`coalesce(${tenantWork.pendingSince}, ${at(tenantWork.pendingSince)})`,
              pendingGeneration: sql`${tenantWork.pendingGeneration} + 1`,
            }
          : { pendingSince: null }),
        leaseCheckAt: truth.running ? now : null,
        // The earlier of the mark it has and now.
        webhooksDueAt: truth.webhooks
          ? sql`CASE WHEN ${tenantWork.webhooksDueAt} IS NOT NULL AND ${tenantWork.webhooksDueAt} < ${at(tenantWork.webhooksDueAt)} THEN ${tenantWork.webhooksDueAt} ELSE ${at(tenantWork.webhooksDueAt)} END`
          : null,
      },
    });
  const differences: TenantRepairDifference[] = [];
  const marked = (value: Date | null | undefined) => (value === null || value === undefined ? "none" : "marked");
  if (before === undefined) differences.push({ table: "tenant_work", field: "row", before: null, after: "created" });
  if (marked(before?.pendingSince) !== (truth.pending ? "marked" : "none")) {
    differences.push({ table: "tenant_work", field: "pending_since", before: marked(before?.pendingSince), after: truth.pending ? "marked" : "none" });
  }
  if (marked(before?.leaseCheckAt) !== (truth.running ? "marked" : "none")) {
    differences.push({ table: "tenant_work", field: "lease_check_at", before: marked(before?.leaseCheckAt), after: truth.running ? "marked" : "none" });
  }
  if (marked(before?.webhooksDueAt) !== (truth.webhooks ? "marked" : "none")) {
    differences.push({ table: "tenant_work", field: "webhooks_due_at", before: marked(before?.webhooksDueAt), after: truth.webhooks ? "marked" : "none" });
  }
  return differences;
}

async function registeredSlug(manager: HybridDatabaseManager, tenantId: string): Promise<string> {
  const [row] = await manager
    .sharedStore()
    .session("read", (s) => s.db.select({ slug: s.t.tenants.slug }).from(s.t.tenants).where(eq(s.t.tenants.id, tenantId)).limit(1));
  if (!row) throw new TenantNotFoundError(tenantId);
  return row.slug;
}

/**
 * The file's schema version, read on a connection of its own (opened with `fileMustExist`, closed
 * at once): the pool's handle would migrate a file that is behind when it opens it.
 */
function fileSchemaVersion(manager: HybridDatabaseManager, path: string, migrations: MigrationFile[]): number {
  const file = openSqlite(path, { fileMustExist: true, synchronous: manager.options.synchronous, busyTimeoutMs: manager.options.busyTimeoutMs });
  try {
    return readSchemaVersion(file, migrations);
  } finally {
    file.close();
  }
}

/**
 * The schema version and size of a tenant's storage, read without migrating it: its file (on a
 * connection of its own), or on PostgreSQL its schema's history and the size of its relations.
 */
async function storageFacts(
  manager: HybridDatabaseManager,
  tenantId: string,
  slug: string,
  migrations: MigrationFile[],
): Promise<{ schemaVersion: number; databaseBytes: number }> {
  const schemas = manager.schemasFor(manager.tenantPlacement(tenantId));
  if (schemas) {
    const [status] = await schemas.tenantSchemaStatus([{ tenantId, slug }]);
    if (!status || status.state === "missing") throw new TenantDatabaseMissingError(tenantId, "PostgreSQL schema");
    if (status.version === null) throw new Error(`The schema of tenant ${tenantId} cannot be read: ${status.error ?? "unknown error"}`);
    return { schemaVersion: status.version, databaseBytes: await schemas.tenantSchemaBytes(tenantId) };
  }
  const path = manager.tenantDatabasePath(tenantId);
  if (!existsSync(path)) throw new TenantDatabaseMissingError(tenantId);
  return { schemaVersion: fileSchemaVersion(manager, path, migrations), databaseBytes: databaseFileBytes(path) };
}

/**
 * Repairs one tenant's control-plane rows from its file, after a registry check (like the pool,
 * never creating a file). A file behind the code's schema is not migrated here: only its schema
 * version and size are recorded, and the result says why it was skipped. Otherwise the file is
 * read and fixed in a write session of the tenant's store, and the mirror written in a shared
 * session opened inside it (tenant, then shared: the one lock order sessions allow).
 */
export async function repairTenantControlPlane(tenantId: string, manager = HybridDatabaseManager.getInstance(), now = new Date()): Promise<TenantRepairResult> {
  assertTenantId(tenantId);
  const slug = await registeredSlug(manager, tenantId);
  const migrations = manager.tenantMigrations();
  const { schemaVersion, databaseBytes } = await storageFacts(manager, tenantId, slug, migrations);
  if (schemaVersion < migrations.length) {
    await manager.sharedStore().session("write", async (s) => {
      const { tenantUsage } = s.t;
      await s.db.update(tenantUsage).set({ schemaVersion, databaseBytes, databaseMeasuredAt: now }).where(eq(tenantUsage.tenantId, tenantId));
    });
    const error = `The file is at schema version ${schemaVersion} of ${migrations.length}; run pnpm db:migrate, then repair again.`;
    return { tenantId, slug, state: "skipped", differences: [], schemaVersion, databaseBytes, error };
  }
  // The tenant's write session is held until the mirror is written: no tenant write can commit in
  // between, so what is written to the control plane is the file's latest state.
  return manager.withTenantStore(tenantId, (store) =>
    store.session("write", async (tenant) => {
      const truth = await recompute(tenant, utcPeriod(now));
      const differences: TenantRepairDifference[] = [];
      const revision = await repairTenantStats(tenant, truth, differences);
      await manager.sharedStore().session("write", async (shared) => {
        differences.push(...compareUsage(await readUsage(shared, tenantId), { ...truth, revision, schemaVersion }));
        await writeUsage(shared, tenantId, { ...truth, revision, schemaVersion, databaseBytes }, now);
        differences.push(...(await repairTenantWork(shared, tenantId, truth, now)));
      });
      return { tenantId, slug, state: differences.length === 0 ? "consistent" : "repaired", differences, schemaVersion, databaseBytes };
    }),
  );
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
  // The registry in one read session, closed before any tenant is visited (lock order).
  const registered = await manager
    .sharedStore()
    .session("read", (s) =>
      s.db.select({ id: s.t.tenants.id, slug: s.t.tenants.slug }).from(s.t.tenants).orderBy(asc(s.t.tenants.createdAt), asc(s.t.tenants.id)),
    );
  const wanted = options.tenantIds ? new Set(options.tenantIds) : undefined;
  const targets = registered.filter((row) => !wanted || wanted.has(row.id));
  const report: RepairAllReport = { total: targets.length, consistent: 0, repaired: 0, failed: 0, results: [], durationMs: 0 };
  for (const [index, target] of targets.entries()) {
    if (options.signal?.aborted) break;
    let result: TenantRepairResult;
    try {
      result = await repairTenantControlPlane(target.id, manager);
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
