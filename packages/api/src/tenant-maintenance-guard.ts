import { tenantMaintenanceOf, type TenantMaintenanceState, type TenantRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";

/**
 * The request path's side of maintenance mode (services/tenant-maintenance.ts sets and clears
 * it): the tenant procedure refuses a mutation of a tenant in maintenance before it runs.
 */

/** Procedures that write nothing of the tenant's content: signing in and out stays possible. */
const ALLOWED_DURING_MAINTENANCE: ReadonlySet<string> = new Set(["auth.login", "auth.logout"]);

/** The sentence users see with a refused write (and the banner's text). */
export function describeMaintenance(slug: string, state: Pick<TenantMaintenanceState, "reason" | "until">): string {
  const end = state.until ? `expected to end at ${state.until.toISOString().replace(/\.\d{3}Z$/, "Z")}` : "no end time was given";
  return `The workspace "${slug}" is in maintenance (${state.reason}); ${end}. Reading works; changes are refused until it ends.`;
}

/** A write refused because the tenant is in maintenance: HTTP 503, with the state for clients. */
export class TenantInMaintenanceError extends TRPCError {
  readonly maintenance: { reason: string; until: Date | null; since: Date };
  constructor(slug: string, state: TenantMaintenanceState) {
    super({ code: "SERVICE_UNAVAILABLE", message: describeMaintenance(slug, state) });
    this.maintenance = { reason: state.reason, until: state.until, since: state.since };
  }
}

/** Refuses a mutation (`path`: its procedure) of a tenant in maintenance. */
export function assertTenantWritable(tenant: TenantRow, path: string): void {
  const state = tenantMaintenanceOf(tenant);
  if (state === null || ALLOWED_DURING_MAINTENANCE.has(path)) return;
  throw new TenantInMaintenanceError(tenant.slug, state);
}

/** The maintenance state clients see (admin console, the workspace banner), or null. */
export function publicMaintenance(tenant: TenantRow): { reason: string; since: Date; until: Date | null; by: string; message: string } | null {
  const state = tenantMaintenanceOf(tenant);
  return state === null ? null : { ...state, message: describeMaintenance(tenant.slug, state) };
}
