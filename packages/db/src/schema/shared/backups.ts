import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { idColumn, timestampColumn } from "../columns.ts";
import { tenants } from "./tenants.ts";

export const BACKUP_OUTCOMES = ["ok", "failed"] as const;
export type BackupOutcome = (typeof BACKUP_OUTCOMES)[number];

/**
 * One row per tenant file a backup (the `sigil backup` CLI, the worker's schedule, the admin
 * console's "back up now") copied or tried to copy (system data). The admin console shows each
 * tenant's latest; the backup set's own `manifest.json` stays the truth about what a set holds.
 */
export const tenantBackups = sqliteTable(
  "tenant_backups",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** The backup set's folder (absolute path). */
    setPath: text("set_path").notNull(),
    takenAt: timestampColumn("taken_at").notNull(),
    outcome: text("outcome", { enum: BACKUP_OUTCOMES }).notNull(),
    bytes: integer("bytes"),
    sha256: text("sha256"),
    /** The file was unchanged since the previous set and was hard-linked from it, not copied. */
    reused: integer("reused", { mode: "boolean" }).notNull().default(false),
    /** Why it failed, for people. */
    error: text("error"),
  },
  (t) => [index("tenant_backups_tenant_taken_idx").on(t.tenantId, t.takenAt)],
);
