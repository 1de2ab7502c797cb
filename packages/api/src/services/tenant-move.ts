import {
  HybridDatabaseManager,
  moveTenantStorage,
  repairTenantControlPlane,
  tenantMaintenanceOf,
  type MoveProgress,
  type TenantMoveReport,
  type TenantPlacement,
  type TenantRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { recordAdminAction, type AdminActor } from "./audit.ts";
import { enterMaintenance, restoreMaintenanceState } from "./tenant-maintenance.ts";

/** Where `sigil tenants move --to` can send a tenant, and the placement each name means. */
export const MOVE_DESTINATIONS = { postgres: "postgres", sqlite: "local" } as const satisfies Record<string, TenantPlacement>;
export type MoveDestination = keyof typeof MOVE_DESTINATIONS;

/**
 * Moves one tenant's own tables between its SQLite file and TENANT_POSTGRES_URL's PostgreSQL
 * (`sigil tenants move`; packages/db/src/archive/move-tenant.ts does the copy, the check and the
 * switch). The tenant is in maintenance meanwhile (writes refused with 503, reads served, its
 * executions left queued), its previous maintenance state comes back afterwards whatever
 * happened, and the move is audited as tenant.moved in both logs.
 */
export async function moveTenant(
  actor: AdminActor,
  tenant: TenantRow,
  to: MoveDestination,
  onProgress?: (progress: MoveProgress) => void,
): Promise<TenantMoveReport> {
  const manager = HybridDatabaseManager.getInstance();
  if (tenant.placement === MOVE_DESTINATIONS[to]) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `Workspace "${tenant.slug}" already lives in ${to === "postgres" ? "PostgreSQL" : "its SQLite file"}; nothing to move.`,
    });
  }
  const previous = tenantMaintenanceOf(tenant);
  await enterMaintenance(actor, tenant.id, { reason: `moving to ${to === "postgres" ? "PostgreSQL" : "SQLite"}` });
  let report: TenantMoveReport;
  try {
    report = await moveTenantStorage(manager, tenant.id, MOVE_DESTINATIONS[to], onProgress ? { onProgress } : {});
    // The size (a file's, or a schema's) and schema version the control plane shows, from the new place.
    await repairTenantControlPlane(tenant.id, manager);
  } finally {
    await restoreMaintenanceState(actor, tenant.id, previous);
  }
  await recordAdminAction(actor, "tenant.moved", tenant, { from: report.from, to: report.to, rows: report.rows, durationMs: Math.round(report.durationMs) });
  return report;
}
