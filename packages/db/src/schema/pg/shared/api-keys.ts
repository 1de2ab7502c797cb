import { index, text, uniqueIndex } from "drizzle-orm/pg-core";
import { API_KEY_STATUSES, type ApiKeyScope } from "../../shared/api-keys.ts";
import { bigintColumn, createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";
import { users } from "./users.ts";

/** API keys; mirrors ../../shared/api-keys.ts. */
export const apiKeys = sigilShared.table(
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
    /** Counts every use over the key's life: can pass 2^31. */
    usageCount: bigintColumn("usage_count").notNull().default(0),
    lastUsedAt: timestampColumn("last_used_at"),
    expiresAt: timestampColumn("expires_at"),
    revokedAt: timestampColumn("revoked_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("api_keys_tenant_key_unique").on(t.tenantId, t.keyId),
    index("api_keys_key_id_idx").on(t.keyId),
    index("api_keys_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);
