import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn } from "../columns.ts";

export const AUDIT_ACTOR_TYPES = ["user", "api_key", "system_admin", "system"] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** Append-only record of who did what in a tenant. `details` is free-form per action. */
export const auditLog = sqliteTable(
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
