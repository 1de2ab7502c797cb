import { z } from "zod";
import { email, name, slug } from "./common.ts";
import { tenantFeatures } from "./features.ts";

export const TENANT_STATUSES = ["active", "inactive", "suspended"] as const;
export const TENANT_PLANS = ["free", "pro", "enterprise"] as const;
export const tenantStatus = z.enum(TENANT_STATUSES);
export const tenantPlan = z.enum(TENANT_PLANS);

/** A custom domain a tenant may be reached on (a host name, not a URL). */
export const customDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, "Enter a host name such as prompts.example.com.");

/** The smallest token budget: below it a single execution could exhaust a month. */
export const MIN_TOKENS_PER_MONTH = 1_000;

/**
 * The seed's limits, with its minimums (users ≥ 1, storage ≥ 100 MB, executions ≥ 100/month),
 * plus the optional token budget (input + output tokens a month; null or absent: none).
 */
export const tenantLimits = z.object({
  users: z.int().min(1).max(1_000_000),
  storage: z.int().min(100).max(10_000_000),
  executions_per_month: z.int().min(100).max(1_000_000_000),
  tokens_per_month: z
    .int("The token budget is a whole number of tokens.")
    .min(MIN_TOKENS_PER_MONTH, `A token budget is at least ${MIN_TOKENS_PER_MONTH.toLocaleString("en-US")} tokens a month; leave it empty for none.`)
    .max(1_000_000_000_000)
    .nullable()
    .optional(),
});

export const PLAN_DEFAULT_LIMITS: Record<(typeof TENANT_PLANS)[number], z.infer<typeof tenantLimits> & { tokens_per_month: number | null }> = {
  free: { users: 5, storage: 100, executions_per_month: 1_000, tokens_per_month: 1_000_000 },
  pro: { users: 50, storage: 5_000, executions_per_month: 50_000, tokens_per_month: 100_000_000 },
  enterprise: { users: 1_000, storage: 100_000, executions_per_month: 1_000_000, tokens_per_month: null },
};

const features = tenantFeatures;

/** The seed's create schema, plus the owner who is invited with the tenant. */
export const createTenantInput = z.object({
  name: name(255),
  slug,
  plan: tenantPlan,
  settings: z.object({
    domain: customDomain.optional(),
    features,
    limits: tenantLimits,
  }),
  owner: z.object({
    email,
    name: name(200),
    password: z.string().min(10, "At least 10 characters.").max(200).optional(),
  }),
});

/** The seed's update schema (by id), plus plan and custom domain. */
export const updateTenantInput = z.object({
  id: z.uuid(),
  name: name(255).optional(),
  status: tenantStatus.optional(),
  plan: tenantPlan.optional(),
  settings: z
    .object({
      domain: customDomain.nullable().optional(),
      features: features.optional(),
      limits: tenantLimits.partial().optional(),
    })
    .optional(),
});

export const tenantIdInput = z.object({ id: z.uuid() });
export const deleteTenantInput = z.object({ id: z.uuid(), confirmSlug: slug });
export type CreateTenantInput = z.infer<typeof createTenantInput>;
export type UpdateTenantInput = z.infer<typeof updateTenantInput>;

/** Columns the admin tenants list sorts by (in SQL, over the control plane; see @sigil/db TENANT_SORT_KEYS). */
export const TENANT_SORT_KEYS = [
  "name",
  "slug",
  "created",
  "status",
  "plan",
  "users",
  "storage",
  "executions",
  "prompts",
  "lastActivity",
  "database",
  "schema",
] as const;
export const tenantSortKey = z.enum(TENANT_SORT_KEYS);

/** One page of the admin tenants list: searched by name, slug or domain, filtered by status and plan, sorted. */
export const listTenantsInput = z
  .object({
    page: z.int().min(1).max(1_000_000).default(1),
    pageSize: z.int().min(1, "A page holds at least 1 tenant.").max(100, "A page holds at most 100 tenants.").default(25),
    sort: tenantSortKey.default("name"),
    direction: z.enum(["asc", "desc"]).default("asc"),
    search: z.string().trim().max(100, "Search for at most 100 characters.").optional(),
    status: tenantStatus.optional(),
    plan: tenantPlan.optional(),
  })
  .default({ page: 1, pageSize: 25, sort: "name", direction: "asc" });
export type ListTenantsInput = z.infer<typeof listTenantsInput>;

/** Maintenance mode: why (shown to the workspace's users with every refused write) and until when. */
export const MAINTENANCE_REASON_MAX = 200;
export const maintenanceReason = z
  .string()
  .trim()
  .min(1, "Say why the workspace is in maintenance; its users see this.")
  .max(MAINTENANCE_REASON_MAX, `At most ${MAINTENANCE_REASON_MAX} characters.`);

export const setTenantMaintenanceInput = z.object({
  id: z.uuid(),
  reason: maintenanceReason,
  /** The expected end, shown to users; nothing ends the maintenance by itself. */
  until: z.date().nullable().optional(),
});
export type SetTenantMaintenanceInput = z.infer<typeof setTenantMaintenanceInput>;

/** "Back up now": these tenants, or (no list) every tenant and shared.sqlite. */
export const backUpNowInput = z.object({ tenantIds: z.array(z.uuid()).min(1).max(1_000).optional() });
