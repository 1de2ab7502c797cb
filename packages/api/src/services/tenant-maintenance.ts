import { tenantMaintenanceOf, tenantModel, type TenantMaintenanceState, type TenantRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { recordAdminAction, type AdminActor } from "./audit.ts";
import { findTenantOrThrow } from "./tenant-admin.ts";

/**
 * Maintenance mode of one tenant (stancl's `tenants:down`), whoever sets it: the admin console
 * (routers/tenants.ts), the `sigil maintenance` and `sigil restore` commands (apps/cli). While
 * it is on, the API refuses the tenant's writes with 503 naming the reason and the expected end
 * (tenant-maintenance-guard.ts, called by the tenant procedure), reads are served, and the execution
 * worker leaves the tenant's executions queued (packages/db/src/models/tenant-work.ts).
 */

export interface MaintenanceRequest {
  reason: string;
  until?: Date | null;
}

/**
 * Where the change is audited. `tenantLog: false` records it in the admin audit log only: writing
 * into the tenant's own log opens its file, which migrates it on open, and a migration run
 * (`sigil migrate --maintenance`) must set maintenance before it touches any file.
 */
export interface MaintenanceAudit {
  tenantLog?: boolean;
}

function assertFutureEnd(until: Date | null | undefined, now: Date): void {
  if (until && until.getTime() <= now.getTime()) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `The expected end ${until.toISOString()} is in the past; give a time after now.` });
  }
}

/** Turns maintenance on (or changes its reason and end while on). Audited as tenant.maintenance_on. */
export async function enterMaintenance(actor: AdminActor, id: string, request: MaintenanceRequest, audit: MaintenanceAudit = {}): Promise<TenantRow> {
  const before = await findTenantOrThrow(id);
  const now = new Date();
  assertFutureEnd(request.until, now);
  const previous = tenantMaintenanceOf(before);
  const state: TenantMaintenanceState = { since: previous?.since ?? now, reason: request.reason, until: request.until ?? null, by: actorName(actor) };
  const tenant = await tenantModel.setMaintenance(before.id, state);
  await recordAdminAction(
    actor,
    "tenant.maintenance_on",
    tenant,
    {
      reason: state.reason,
      until: state.until?.toISOString() ?? null,
      alreadyOn: previous !== null,
    },
    toTenantLog(audit),
  );
  return tenant;
}

/** Turns maintenance off (a no-op when it is off, still audited). Audited as tenant.maintenance_off. */
export async function leaveMaintenance(actor: AdminActor, id: string, audit: MaintenanceAudit = {}): Promise<TenantRow> {
  const before = await findTenantOrThrow(id);
  const previous = tenantMaintenanceOf(before);
  const tenant = await tenantModel.setMaintenance(before.id, null);
  await recordAdminAction(actor, "tenant.maintenance_off", tenant, { wasOn: previous !== null, reason: previous?.reason ?? null }, toTenantLog(audit));
  return tenant;
}

/** Puts a tenant's previous maintenance state back exactly (after a restore, which sets its own). */
export async function restoreMaintenanceState(
  actor: AdminActor,
  id: string,
  previous: TenantMaintenanceState | null,
  audit: MaintenanceAudit = {},
): Promise<TenantRow> {
  if (previous === null) return leaveMaintenance(actor, id, audit);
  const tenant = await tenantModel.setMaintenance(id, previous);
  await recordAdminAction(
    actor,
    "tenant.maintenance_on",
    tenant,
    {
      reason: previous.reason,
      until: previous.until?.toISOString() ?? null,
      restoredAfter: "restore",
    },
    toTenantLog(audit),
  );
  return tenant;
}

function toTenantLog({ tenantLog = true }: MaintenanceAudit): { tenantStillExists: boolean } {
  return { tenantStillExists: tenantLog };
}

function actorName(actor: AdminActor): string {
  return actor.kind === "admin" ? actor.admin.email : actor.name;
}
