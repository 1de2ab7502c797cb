import type { Statement } from "better-sqlite3";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { epochMs } from "./engine/dialect.ts";
import type { Session } from "./engine/session.ts";
import { sqliteConnectionOf } from "./engine/sqlite-store.ts";
import type { SqliteConnection } from "./sqlite-file.ts";
import { utcPeriod } from "./usage-periods.ts";

/** A tenant's running totals as its own file holds them (`tenant_stats` + this month's executions). */
export interface TenantStatsSnapshot {
  revision: number;
  storageBytes: number;
  fileCount: number;
  promptCount: number;
  lastActivityAt: number | null;
  executionsPeriod: string;
  executionsInPeriod: number;
}

interface StatsRow {
  revision: number;
  storage_bytes: number;
  file_count: number;
  prompt_count: number;
  last_activity_at: number | null;
  executions: number | null;
}

const readers = new WeakMap<SqliteConnection, Statement<[string], StatsRow>>();
const publishers = new WeakMap<SqliteConnection, Statement<[Record<string, unknown>]>>();

/**
 * Reads the tenant's totals in a session of its store. Every run that used a tenant's file ends
 * with this read (tenant-context.ts), so SQLite keeps its one prepared statement, run on the
 * session's connection; PostgreSQL gets the same query from the builder.
 */
export async function readTenantStats(session: Session, now = new Date()): Promise<TenantStatsSnapshot | null> {
  if (session.engine === "sqlite") return readTenantStatsOn(sqliteConnectionOf(session), now);
  const { tenantStats, usageCounters } = session.t;
  const period = utcPeriod(now);
  const [row] = await session.db
    .select({
      revision: tenantStats.revision,
      storageBytes: tenantStats.storageBytes,
      fileCount: tenantStats.fileCount,
      promptCount: tenantStats.promptCount,
      lastActivityAt: tenantStats.lastActivityAt,
      executions: sql<
        number | null
      >`(SELECT ${usageCounters.count} FROM ${usageCounters} WHERE ${usageCounters.metric} = 'executions' AND ${usageCounters.period} = ${period})`,
    })
    .from(tenantStats)
    .where(eq(tenantStats.id, 1));
  if (!row) return null;
  return {
    revision: Number(row.revision),
    storageBytes: Number(row.storageBytes),
    fileCount: row.fileCount,
    promptCount: row.promptCount,
    lastActivityAt: epochMs(row.lastActivityAt),
    executionsPeriod: period,
    executionsInPeriod: Number(row.executions ?? 0),
  };
}

/**
 * Reads a SQLite tenant file's totals on `tenant` with one prepared statement (cached per
 * connection). Only on a connection nobody else uses (a file being provisioned, archive/import-tenant.ts)
 * or inside a session of its store (readTenantStats).
 */
export function readTenantStatsOn(tenant: SqliteConnection, now = new Date()): TenantStatsSnapshot | null {
  let reader = readers.get(tenant);
  if (!reader) {
    reader = tenant.prepare<[string], StatsRow>(
      `SELECT s.revision, s.storage_bytes, s.file_count, s.prompt_count, s.last_activity_at,
              (SELECT u.count FROM usage_counters u WHERE u.metric = 'executions' AND u.period = ?) AS executions
         FROM tenant_stats s WHERE s.id = 1`,
    );
    readers.set(tenant, reader);
  }
  const period = utcPeriod(now);
  const row = reader.get(period);
  if (!row) return null;
  return {
    revision: row.revision,
    storageBytes: row.storage_bytes,
    fileCount: row.file_count,
    promptCount: row.prompt_count,
    lastActivityAt: row.last_activity_at,
    executionsPeriod: period,
    executionsInPeriod: row.executions ?? 0,
  };
}

/**
 * Copies a snapshot into the control plane's `tenant_usage`, in a session of the shared store.
 * Idempotent and ordered: a copy older than the one stored (lower revision) changes nothing, so
 * processes publishing concurrently or late never move the numbers backwards; a new month replaces
 * the previous month's count even at the same revision. Returns whether the row changed. The hot
 * path of readTenantStats' caller: SQLite keeps its prepared statement, PostgreSQL gets the builder's.
 */
export async function publishTenantStats(session: Session, tenantId: string, stats: TenantStatsSnapshot, now = Date.now()): Promise<boolean> {
  if (session.engine === "sqlite") return publishTenantStatsOn(sqliteConnectionOf(session), tenantId, stats, now);
  const usage = session.t.tenantUsage;
  const changed = await session.db
    .update(usage)
    .set({
      revision: stats.revision,
      storageBytes: stats.storageBytes,
      fileCount: stats.fileCount,
      promptCount: stats.promptCount,
      lastActivityAt: stats.lastActivityAt === null ? null : new Date(stats.lastActivityAt),
      executionsPeriod: stats.executionsPeriod,
      executionsInPeriod: stats.executionsInPeriod,
      updatedAt: new Date(now),
    })
    .where(
      and(
        eq(usage.tenantId, tenantId),
        or(
          lt(usage.revision, stats.revision),
          and(eq(usage.revision, stats.revision), sql`${usage.executionsPeriod} IS DISTINCT FROM ${stats.executionsPeriod}`),
        ),
      ),
    )
    .returning({ tenantId: usage.tenantId });
  return changed.length > 0;
}

/**
 * publishTenantStats on a SQLite shared connection with one prepared statement: only inside a
 * session of the shared store, or inside a transaction already holding its lock (archive/import-tenant.ts).
 */
export function publishTenantStatsOn(shared: SqliteConnection, tenantId: string, stats: TenantStatsSnapshot, now = Date.now()): boolean {
  let publisher = publishers.get(shared);
  if (!publisher) {
    publisher = shared.prepare(
      `UPDATE tenant_usage
          SET revision = @revision, storage_bytes = @storageBytes, file_count = @fileCount, prompt_count = @promptCount,
              last_activity_at = @lastActivityAt, executions_period = @executionsPeriod,
              executions_in_period = @executionsInPeriod, updated_at = @now
        WHERE tenant_id = @tenantId
          AND (revision < @revision OR (revision = @revision AND executions_period IS NOT @executionsPeriod))`,
    );
    publishers.set(shared, publisher);
  }
  return publisher.run({ ...stats, tenantId, now }).changes > 0;
}
