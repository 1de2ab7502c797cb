import { integer, pgTable } from "drizzle-orm/pg-core";
import { bigintColumn, timestampColumn } from "../columns.ts";

/** One row (id = 1) of running totals kept by triggers (migrations/pg/tenant); mirrors ../../tenant/tenant-stats.ts. */
export const tenantStats = pgTable("tenant_stats", {
  // SQLite's INTEGER PRIMARY KEY takes the next rowid when omitted: an identity does the same.
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  revision: bigintColumn("revision").notNull().default(0),
  storageBytes: bigintColumn("storage_bytes").notNull().default(0),
  fileCount: integer("file_count").notNull().default(0),
  promptCount: integer("prompt_count").notNull().default(0),
  lastActivityAt: timestampColumn("last_activity_at"),
});
