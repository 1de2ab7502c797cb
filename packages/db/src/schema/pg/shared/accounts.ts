import { index, text, uniqueIndex } from "drizzle-orm/pg-core";
import { PASSWORD_RESET_ORIGINS } from "../../shared/accounts.ts";
import { createdAt, idColumn, timestampColumn } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";
import { users } from "./users.ts";

/** Password resets and what remains of deleted users; mirrors ../../shared/accounts.ts. */
export const passwordResets = sigilShared.table(
  "password_resets",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    origin: text("origin", { enum: PASSWORD_RESET_ORIGINS }).notNull(),
    tokenHash: text("token_hash"),
    expiresAt: timestampColumn("expires_at"),
    usedAt: timestampColumn("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("password_resets_tenant_token_unique").on(t.tenantId, t.tokenHash),
    index("password_resets_tenant_user_idx").on(t.tenantId, t.userId),
    index("password_resets_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

export const deletedUsers = sigilShared.table(
  "deleted_users",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("deleted_users_tenant_user_unique").on(t.tenantId, t.userId)],
);
