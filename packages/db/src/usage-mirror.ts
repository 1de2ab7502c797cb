import type { Statement } from "better-sqlite3";
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

/** Reads the tenant file's totals: one prepared statement (cached per connection). */
export function readTenantStats(tenant: SqliteConnection, now = new Date()): TenantStatsSnapshot | null {
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
 * Copies a snapshot into shared.sqlite's `tenant_usage`. Idempotent and ordered: a copy older
 * than the one stored (lower revision) changes nothing, so processes publishing concurrently or
 * late never move the numbers backwards; a new month replaces the previous month's count even at
 * the same revision. Returns whether the row changed.
 */
export function publishTenantStats(shared: SqliteConnection, tenantId: string, stats: TenantStatsSnapshot, now = Date.now()): boolean {
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
