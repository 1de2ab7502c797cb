import { index, text, uniqueIndex } from "drizzle-orm/pg-core";
import { bigintColumn, createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { systemAdmins } from "./system-admins.ts";

/** Sessions, API keys and audit log of system administrators; mirrors ../../shared/system-admin-access.ts. */
export const systemAdminSessions = sigilShared.table(
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

export const systemApiKeys = sigilShared.table(
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
    usageCount: bigintColumn("usage_count").notNull().default(0),
    lastUsedAt: timestampColumn("last_used_at"),
    revokedAt: timestampColumn("revoked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("system_api_keys_key_unique").on(t.keyId)],
);

export const adminAuditLog = sigilShared.table(
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
