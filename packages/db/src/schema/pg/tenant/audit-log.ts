import { index, pgTable, text } from "drizzle-orm/pg-core";
import { AUDIT_ACTOR_TYPES } from "../../tenant/audit-log.ts";
import { createdAt, idColumn, jsonColumn } from "../columns.ts";

/** Append-only record of who did what in a tenant; mirrors ../../tenant/audit-log.ts. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: idColumn(),
    actorType: text("actor_type", { enum: AUDIT_ACTOR_TYPES }).notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonColumn<Record<string, unknown>>("details").notNull().default({}),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt), index("audit_log_action_idx").on(t.action, t.createdAt)],
);
