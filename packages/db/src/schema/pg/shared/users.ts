import { index, text, uniqueIndex } from "drizzle-orm/pg-core";
import { USER_ROLES, USER_STATUSES } from "../../shared/users.ts";
import { createdAt, idColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";

/** Workspace users; mirrors ../../shared/users.ts (email unique per tenant, never globally). */
export const users = sigilShared.table(
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
    passwordHash: text("password_hash"),
    invitationTokenHash: text("invitation_token_hash"),
    invitationExpiresAt: timestampColumn("invitation_expires_at"),
    lastLoginAt: timestampColumn("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_tenant_email_unique").on(t.tenantId, t.email),
    uniqueIndex("users_tenant_invitation_unique").on(t.tenantId, t.invitationTokenHash),
    index("users_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("users_tenant_status_idx").on(t.tenantId, t.status),
  ],
);
