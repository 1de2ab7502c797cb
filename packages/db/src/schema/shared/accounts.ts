import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, timestampColumn } from "../columns.ts";
import { tenants } from "./tenants.ts";
import { users } from "./users.ts";

/** Who started a password reset: the user ("forgot password") or a workspace admin. */
export const PASSWORD_RESET_ORIGINS = ["user", "admin"] as const;
export type PasswordResetOrigin = (typeof PASSWORD_RESET_ORIGINS)[number];

/**
 * Password resets of workspace users. A row with a token is a reset link: only the SHA-256 hash
 * of its random token is stored, it expires (`expires_at`) and is spent once (`used_at`, set by one
 * conditional UPDATE). A row without a token is a user's request that no mail could answer: the
 * workspace's admins see it and create the link (packages/api/src/services/password-resets.ts).
 * Spent and expired rows stay a while so a second use gets its own message, then are pruned.
 */
export const passwordResets = sqliteTable(
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
    /** Null: a request waiting for an admin to create the link. */
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

/**
 * What remains of a deleted workspace user: the name their prompts, versions and executions
 * (which keep the user id in the tenant's own file) are shown with. No foreign key to `users`:
 * the row outlives it by design; the tenant's deletion removes it.
 */
export const deletedUsers = sqliteTable(
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
