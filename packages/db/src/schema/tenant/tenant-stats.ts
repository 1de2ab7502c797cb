import { integer, sqliteTable } from "drizzle-orm/sqlite-core";
import { timestampColumn } from "../columns.ts";

/**
 * One row (id = 1) of running totals, kept by triggers (tenant migration 0002) in the same
 * transaction as the write that changes them, whatever code path made it (cascades included).
 * `revision` grows with every change; the control plane mirrors the row into shared.sqlite's
 * `tenant_usage` (models/tenant-usage.ts).
 */
export const tenantStats = sqliteTable("tenant_stats", {
  id: integer("id").primaryKey(),
  revision: integer("revision").notNull().default(0),
  storageBytes: integer("storage_bytes").notNull().default(0),
  fileCount: integer("file_count").notNull().default(0),
  promptCount: integer("prompt_count").notNull().default(0),
  lastActivityAt: timestampColumn("last_activity_at"),
});
