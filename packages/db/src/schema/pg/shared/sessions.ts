import { index, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";
import { users } from "./users.ts";

/** Browser sessions; mirrors ../../shared/sessions.ts. */
export const sessions = sigilShared.table(
  "sessions",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestampColumn("expires_at").notNull(),
    lastSeenAt: timestampColumn("last_seen_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sessions_tenant_token_unique").on(t.tenantId, t.tokenHash),
    index("sessions_token_idx").on(t.tokenHash),
    index("sessions_tenant_user_idx").on(t.tenantId, t.userId),
    index("sessions_tenant_expires_idx").on(t.tenantId, t.expiresAt),
  ],
);
