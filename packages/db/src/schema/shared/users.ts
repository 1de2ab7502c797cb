import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, timestampColumn, updatedAt } from "../columns.ts";
import { tenants } from "./tenants.ts";

export const USER_ROLES = ["admin", "user", "viewer"] as const;
export const USER_STATUSES = ["active", "inactive", "pending"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type UserStatus = (typeof USER_STATUSES)[number];

export const users = sqliteTable(
  "users",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: USER_ROLES }).notNull().default("user"),
    status: text("status", { enum: USER_STATUSES }).notNull().default("pending"),
    /** Null while an invitation is pending. */
    passwordHash: text("password_hash"),
    invitationTokenHash: text("invitation_token_hash"),
    invitationExpiresAt: timestampColumn("invitation_expires_at"),
    lastLoginAt: timestampColumn("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Email is unique per tenant, never globally (docs/architecture.md: Shared tables).
    uniqueIndex("users_tenant_email_unique").on(t.tenantId, t.email),
    uniqueIndex("users_tenant_invitation_unique").on(t.tenantId, t.invitationTokenHash),
    index("users_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("users_tenant_status_idx").on(t.tenantId, t.status),
  ],
);
