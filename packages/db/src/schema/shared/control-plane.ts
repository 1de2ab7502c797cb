import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestampColumn, updatedAt } from "../columns.ts";
import { tenants } from "./tenants.ts";

/**
 * What the control plane knows about each tenant without opening its file (system data, one row
 * per tenant). The tenant's own file stays the truth: its `tenant_stats` row is kept current by
 * triggers in the same transaction as every write, and this row mirrors it, guarded by
 * `revision` so a late, older copy never overwrites a newer one (models/tenant-usage.ts). The
 * schema version is written by provisioning and the migration runner; the database size by a
 * slow timer; a repair recomputes everything from the files.
 */
export const tenantUsage = sqliteTable(
  "tenant_usage",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The tenant file's `tenant_stats.revision` these numbers were copied at (0: never copied). */
    revision: integer("revision").notNull().default(0),
    storageBytes: integer("storage_bytes").notNull().default(0),
    fileCount: integer("file_count").notNull().default(0),
    promptCount: integer("prompt_count").notNull().default(0),
    /** The calendar month (UTC, "YYYY-MM") `executions_in_period` counts. */
    executionsPeriod: text("executions_period"),
    executionsInPeriod: integer("executions_in_period").notNull().default(0),
    /** The newest entry of the tenant's audit log. */
    lastActivityAt: timestampColumn("last_activity_at"),
    /** Migrations applied to the tenant's file (null: not known yet). */
    schemaVersion: integer("schema_version"),
    /** The file plus its `-wal`, in bytes, as measured at `database_measured_at`. */
    databaseBytes: integer("database_bytes").notNull().default(0),
    databaseMeasuredAt: timestampColumn("database_measured_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("tenant_usage_storage_idx").on(t.storageBytes),
    index("tenant_usage_activity_idx").on(t.lastActivityAt),
    index("tenant_usage_schema_idx").on(t.schemaVersion),
  ],
);

/**
 * The execution worker's index of tenants with work, so an idle worker opens no tenant file.
 * Creating an execution marks its tenant (`pending_since`, `pending_generation` + 1) after the
 * execution is committed; a worker that drained the tenant clears the mark only if the
 * generation is unchanged, so a mark made meanwhile is never lost. A claim records the earliest
 * lease expiry (`lease_check_at`) so stale recovery visits only tenants with running work.
 */
export const tenantWork = sqliteTable(
  "tenant_work",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /**
     * The tenant's place in the worker's queue: when the oldest unclaimed mark was made, moved to
     * the claim's time when the worker takes one of its executions (round-robin across ticks);
     * null: no pending execution is known.
     */
    pendingSince: timestampColumn("pending_since"),
    pendingGeneration: integer("pending_generation").notNull().default(0),
    /** When a running execution's lease may have expired first; null: none is running. */
    leaseCheckAt: timestampColumn("lease_check_at"),
    /** When the tenant's earliest undelivered webhook delivery is due; null: none is waiting. */
    webhooksDueAt: timestampColumn("webhooks_due_at"),
  },
  (t) => [
    index("tenant_work_pending_idx").on(t.pendingSince),
    index("tenant_work_lease_idx").on(t.leaseCheckAt),
    index("tenant_work_webhooks_idx").on(t.webhooksDueAt),
  ],
);

/**
 * One counter (system data, one row) that says whether the request path's caches are still good
 * (src/auth-cache.ts): triggers (shared migration 0005) add 1 in the same transaction as any change
 * to a tenant, a user, or what decides an API key's validity, whoever makes it (the API, the CLI,
 * another server process). A process reads it once per lookup (one prepared statement on a hot
 * page) and drops its cached entries when it moved.
 */
export const cacheGeneration = sqliteTable("cache_generation", {
  id: integer("id").primaryKey(),
  value: integer("value").notNull().default(0),
});
