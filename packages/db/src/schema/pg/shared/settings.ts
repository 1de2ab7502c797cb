import { index, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";
import { tenants } from "./tenants.ts";

/** Typed tenant settings; mirrors ../../shared/settings.ts. */
export const settings = sigilShared.table(
  "settings",
  {
    id: idColumn(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    identifier: text("identifier").notNull(),
    payload: jsonColumn<Record<string, unknown>>("payload").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("settings_tenant_type_identifier_unique").on(t.tenantId, t.type, t.identifier),
    index("settings_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);
