import { index, integer, text, uniqueIndex } from "drizzle-orm/pg-core";
import { TENANT_PLACEMENTS, TENANT_PLANS, TENANT_STATUSES } from "../../shared/tenants.ts";
import { bigintColumn, createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";

/** The tenant registry (system data); mirrors ../../shared/tenants.ts. */
export const tenants = sigilShared.table(
  "tenants",
  {
    id: idColumn(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    status: text("status", { enum: TENANT_STATUSES }).notNull().default("active"),
    plan: text("plan", { enum: TENANT_PLANS }).notNull().default("free"),
    domain: text("domain"),
    features: jsonColumn<string[]>("features").notNull().default([]),
    limitUsers: integer("limit_users").notNull(),
    limitStorageMb: integer("limit_storage_mb").notNull(),
    limitExecutionsPerMonth: integer("limit_executions_per_month").notNull(),
    /** A month's tokens can pass 2^31. */
    limitTokensPerMonth: bigintColumn("limit_tokens_per_month"),
    billingSubscriptionId: text("billing_subscription_id"),
    billingCurrentPeriodEnd: timestampColumn("billing_current_period_end"),
    placement: text("placement", { enum: TENANT_PLACEMENTS }).notNull().default("local"),
    maintenanceSince: timestampColumn("maintenance_since"),
    maintenanceReason: text("maintenance_reason"),
    maintenanceUntil: timestampColumn("maintenance_until"),
    maintenanceBy: text("maintenance_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tenants_slug_unique").on(t.slug), uniqueIndex("tenants_domain_unique").on(t.domain), index("tenants_status_idx").on(t.status)],
);
