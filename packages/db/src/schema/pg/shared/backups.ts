import { boolean, index, text } from "drizzle-orm/pg-core";
import { BACKUP_OUTCOMES } from "../../shared/backups.ts";
import { bigintColumn, idColumn, timestampColumn } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";

/** One row per tenant a backup copied or tried to copy; mirrors ../../shared/backups.ts. */
export const tenantBackups = sigilShared.table(
  "tenant_backups",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    setPath: text("set_path").notNull(),
    takenAt: timestampColumn("taken_at").notNull(),
    outcome: text("outcome", { enum: BACKUP_OUTCOMES }).notNull(),
    bytes: bigintColumn("bytes"),
    sha256: text("sha256"),
    reused: boolean("reused").notNull().default(false),
    error: text("error"),
  },
  (t) => [index("tenant_backups_tenant_taken_idx").on(t.tenantId, t.takenAt)],
);
