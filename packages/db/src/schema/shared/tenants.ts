import { integer, sqliteTable, text, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";

export const TENANT_STATUSES = ["active", "inactive", "suspended"] as const;
export const TENANT_PLANS = ["free", "pro", "enterprise"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
export type TenantPlan = (typeof TENANT_PLANS)[number];
/**
 * Where a tenant's own tables live. `local`: on the installation's engine (DATABASE_URL): a file
 * in DATA_DIR, or a schema of the PostgreSQL database. `postgres`: a schema of TENANT_POSTGRES_URL's
 * database while the control plane stays in shared.sqlite (`sigil tenants move`).
 */
export const TENANT_PLACEMENTS = ["local", "postgres"] as const;
export type TenantPlacement = (typeof TENANT_PLACEMENTS)[number];

/**
 * The tenant registry (system data). The seed's nested `settings` object is stored as typed
 * columns; `tenantModel` maps it back to the seed's shape.
 */
export const tenants = sqliteTable(
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
    /** Input + output tokens a month (UTC); null: no token budget. */
    limitTokensPerMonth: integer("limit_tokens_per_month"),
    billingSubscriptionId: text("billing_subscription_id"),
    billingCurrentPeriodEnd: timestampColumn("billing_current_period_end"),
    /** Where the tenant's own tables live (TENANT_PLACEMENTS); changed only by a move (src/archive/move-tenant.ts). */
    placement: text("placement", { enum: TENANT_PLACEMENTS }).notNull().default("local"),
    /**
     * Maintenance mode (null `maintenance_since`: off). While on, the API refuses the tenant's
     * writes with 503 naming the reason and the expected end, reads are served, and the execution
     * worker leaves its executions queued (packages/api/src/services/tenant-maintenance.ts).
     */
    maintenanceSince: timestampColumn("maintenance_since"),
    maintenanceReason: text("maintenance_reason"),
    /** When the maintenance is expected to end (null: not said). Informative: nothing ends it by itself. */
    maintenanceUntil: timestampColumn("maintenance_until"),
    /** Who turned it on: an administrator's email, an operator (`user@host`) or a process ("restore"). */
    maintenanceBy: text("maintenance_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tenants_slug_unique").on(t.slug), uniqueIndex("tenants_domain_unique").on(t.domain), index("tenants_status_idx").on(t.status)],
);
