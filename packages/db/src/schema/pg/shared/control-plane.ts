import { index, integer, text } from "drizzle-orm/pg-core";
import { bigintColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";

/** What the control plane knows about each tenant; mirrors ../../shared/control-plane.ts. */
export const tenantUsage = sigilShared.table(
  "tenant_usage",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    revision: bigintColumn("revision").notNull().default(0),
    storageBytes: bigintColumn("storage_bytes").notNull().default(0),
    fileCount: integer("file_count").notNull().default(0),
    promptCount: integer("prompt_count").notNull().default(0),
    executionsPeriod: text("executions_period"),
    executionsInPeriod: bigintColumn("executions_in_period").notNull().default(0),
    lastActivityAt: timestampColumn("last_activity_at"),
    schemaVersion: integer("schema_version"),
    databaseBytes: bigintColumn("database_bytes").notNull().default(0),
    databaseMeasuredAt: timestampColumn("database_measured_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("tenant_usage_storage_idx").on(t.storageBytes),
    index("tenant_usage_activity_idx").on(t.lastActivityAt),
    index("tenant_usage_schema_idx").on(t.schemaVersion),
  ],
);

/** The execution worker's index of tenants with work. */
export const tenantWork = sigilShared.table(
  "tenant_work",
  {
    tenantId: text("tenant_id")
      .primaryKey()
      .references(() => tenants.id, { onDelete: "cascade" }),
    pendingSince: timestampColumn("pending_since"),
    pendingGeneration: bigintColumn("pending_generation").notNull().default(0),
    leaseCheckAt: timestampColumn("lease_check_at"),
    webhooksDueAt: timestampColumn("webhooks_due_at"),
  },
  (t) => [
    index("tenant_work_pending_idx").on(t.pendingSince),
    index("tenant_work_lease_idx").on(t.leaseCheckAt),
    index("tenant_work_webhooks_idx").on(t.webhooksDueAt),
  ],
);

/** The request path's cache counter (one row), kept by triggers (migrations/pg/shared). */
export const cacheGeneration = sigilShared.table("cache_generation", {
  // SQLite's INTEGER PRIMARY KEY takes the next rowid when omitted: an identity does the same.
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  value: bigintColumn("value").notNull().default(0),
});
