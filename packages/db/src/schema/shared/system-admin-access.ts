import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { systemAdmins } from "./system-admins.ts";

/** Browser sessions of system administrators (admin host only). Token stored hashed. */
export const systemAdminSessions = sqliteTable(
  "system_admin_sessions",
  {
    id: idColumn(),
    adminId: text("admin_id")
      .notNull()
      .references(() => systemAdmins.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestampColumn("expires_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("system_admin_sessions_token_unique").on(t.tokenHash)],
);

/** API keys of system administrators, for automation of the admin API. */
export const systemApiKeys = sqliteTable(
  "system_api_keys",
  {
    id: idColumn(),
    adminId: text("admin_id")
      .notNull()
      .references(() => systemAdmins.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyId: text("key_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    status: text("status", { enum: ["active", "revoked"] })
      .notNull()
      .default("active"),
    usageCount: integer("usage_count").notNull().default(0),
    lastUsedAt: timestampColumn("last_used_at"),
    revokedAt: timestampColumn("revoked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("system_api_keys_key_unique").on(t.keyId)],
);

/**
 * What system administrators did to tenants. Kept in shared.sqlite (no foreign key to tenants)
 * so a tenant's deletion is still on record after its own audit log is gone.
 */
export const adminAuditLog = sqliteTable(
  "admin_audit_log",
  {
    id: idColumn(),
    adminId: text("admin_id"),
    action: text("action").notNull(),
    tenantId: text("tenant_id"),
    tenantSlug: text("tenant_slug"),
    details: jsonColumn<Record<string, unknown>>("details").notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("admin_audit_log_created_idx").on(t.createdAt), index("admin_audit_log_tenant_idx").on(t.tenantId, t.createdAt)],
);
