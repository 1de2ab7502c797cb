import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { tenants } from "./tenants.ts";
import { users } from "./users.ts";

export const API_KEY_SCOPES = [
  "prompts:read",
  "prompts:preview",
  "executions:run",
  "executions:read",
  "files:upload",
  "files:download",
  "deployments:run",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const API_KEY_STATUSES = ["active", "revoked"] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/**
 * API keys: a public key id (looked up by index, O(1)) plus a high-entropy secret of which only a
 * SHA-256 hash is stored and compared in constant time (docs/architecture.md: API keys).
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyId: text("key_id").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: jsonColumn<ApiKeyScope[]>("scopes").notNull(),
    status: text("status", { enum: API_KEY_STATUSES }).notNull().default("active"),
    usageCount: integer("usage_count").notNull().default(0),
    lastUsedAt: timestampColumn("last_used_at"),
    expiresAt: timestampColumn("expires_at"),
    revokedAt: timestampColumn("revoked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("api_keys_tenant_key_unique").on(t.tenantId, t.keyId),
    // Authentication looks a key up by its public id before it knows the tenant is right.
    index("api_keys_key_id_idx").on(t.keyId),
    index("api_keys_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);
