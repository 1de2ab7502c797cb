import { listTenantsWithUsage, tenantModel, tenantUsageOf, toTenantDocument, type TenantRow } from "@sigil/db";
import {
  backUpNowInput,
  createTenantInput,
  deleteTenantInput,
  listTenantsInput,
  setTenantMaintenanceInput,
  tenantIdInput,
  updateTenantInput,
} from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { systemAdminProcedure } from "../procedures.ts";
import { adminActor, recordAdminAction, recordSystemAction } from "../services/audit.ts";
import { backupOverview, backUpNow, tenantBackupState } from "../services/backup-status.ts";
import {
  assertDomainFree,
  assertUsableDomain,
  createTenantWithOwner,
  deleteTenant,
  findTenantOrThrow,
  reactivateTenant,
  suspendTenant,
} from "../services/tenant-admin.ts";
import { enterMaintenance, leaveMaintenance } from "../services/tenant-maintenance.ts";
import { toTenantWithUsage } from "../services/tenant-usage.ts";
import { router } from "../trpc.ts";

type TenantPatch = NonNullable<Parameters<typeof tenantModel.update>[1]>;

/** Field-level before/after of an update, for the audit log. */
function changesOf(before: TenantRow, after: TenantRow, patch: TenantPatch): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(patch) as (keyof TenantPatch & keyof TenantRow)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}

/**
 * System administration of workspaces (tenants). Every procedure runs only on
 * `admin.<ROOT_DOMAIN>` for a system administrator (session cookie or `sgla_` key), and every
 * change is recorded with recordAdminAction (the admin audit log in shared.sqlite, and the
 * tenant's own audit log while the tenant exists).
 */
export const tenantsRouter = router({
  /** The seed's create, plus the owner (services/tenant-admin.ts). */
  create: systemAdminProcedure.input(createTenantInput).mutation(({ ctx, input }) => createTenantWithOwner(adminActor(ctx), ctx.config, input)),

  /** The seed's getById: the tenant document plus its usage, from the control plane (no tenant file is opened). */
  getById: systemAdminProcedure.input(tenantIdInput).query(async ({ input }) => {
    const tenant = await findTenantOrThrow(input.id);
    const usage = await tenantUsageOf(tenant.id);
    if (!usage) throw new TRPCError({ code: "NOT_FOUND", message: `No workspace with id ${input.id} exists.` });
    return toTenantWithUsage(tenant, usage);
  }),

  /** The seed's update (name, status, settings.features/limits) plus plan and custom domain. */
  update: systemAdminProcedure.input(updateTenantInput).mutation(async ({ ctx, input }) => {
    const before = await findTenantOrThrow(input.id);
    const patch: TenantPatch = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.status !== undefined) patch.status = input.status;
    if (input.plan !== undefined) patch.plan = input.plan;
    const settings = input.settings;
    if (settings?.domain !== undefined) {
      if (settings.domain !== null) {
        assertUsableDomain(ctx.config, settings.domain);
        await assertDomainFree(settings.domain, before.id);
      }
      patch.domain = settings.domain;
    }
    if (settings?.features !== undefined) patch.features = settings.features;
    const limits = settings?.limits;
    if (limits?.users !== undefined) patch.limitUsers = limits.users;
    if (limits?.storage !== undefined) patch.limitStorageMb = limits.storage;
    if (limits?.executions_per_month !== undefined) patch.limitExecutionsPerMonth = limits.executions_per_month;
    if (limits?.tokens_per_month !== undefined) patch.limitTokensPerMonth = limits.tokens_per_month;
    // A concurrent update taking the same domain still fails on the unique index (CONFLICT).
    const after = await tenantModel.update(before.id, patch);
    if (!after) throw new TRPCError({ code: "NOT_FOUND", message: `No workspace with id ${before.id} exists.` });
    await recordAdminAction(adminActor(ctx), "tenant.updated", after, { changes: changesOf(before, after, patch) });
    return toTenantDocument(after);
  }),

  /**
   * One page of tenants with their usage (seats, storage, executions this month, prompts, database
   * size, schema version, last activity), searched by name, slug or custom domain, filtered by
   * status and plan and sorted, all in SQL over shared.sqlite with the total: it never opens a
   * tenant file, so it costs the same with 10 tenants or 10,000 (docs/architecture.md, The
   * control-plane mirror).
   */
  list: systemAdminProcedure.input(listTenantsInput).query(async ({ input }) => {
    const page = await listTenantsWithUsage(input);
    return { ...page, tenants: page.tenants.map(({ tenant, usage }) => toTenantWithUsage(tenant, usage)) };
  }),

  /** Suspends a tenant: its procedures answer FORBIDDEN naming the status until reactivated. */
  suspend: systemAdminProcedure.input(tenantIdInput).mutation(async ({ ctx, input }) => toTenantDocument(await suspendTenant(adminActor(ctx), input.id))),

  reactivate: systemAdminProcedure.input(tenantIdInput).mutation(async ({ ctx, input }) => toTenantDocument(await reactivateTenant(adminActor(ctx), input.id))),

  /**
   * Maintenance mode on (or its reason and expected end changed): the workspace's writes answer
   * 503 naming them, reads are served (services/tenant-maintenance.ts).
   */
  enterMaintenance: systemAdminProcedure
    .input(setTenantMaintenanceInput)
    .mutation(async ({ ctx, input }) =>
      toTenantDocument(await enterMaintenance(adminActor(ctx), input.id, { reason: input.reason, until: input.until ?? null })),
    ),

  leaveMaintenance: systemAdminProcedure
    .input(tenantIdInput)
    .mutation(async ({ ctx, input }) => toTenantDocument(await leaveMaintenance(adminActor(ctx), input.id))),

  /** Backups: where they go, the schedule, and every tenant's latest (services/backup-status.ts). */
  backups: systemAdminProcedure.query(() => backupOverview()),

  /** One tenant's latest backup and latest good one. */
  backupState: systemAdminProcedure.input(tenantIdInput).query(async ({ input }) => tenantBackupState((await findTenantOrThrow(input.id)).id)),

  /** "Back up now": the listed tenants, or everything with shared.sqlite; audited. */
  backUpNow: systemAdminProcedure.input(backUpNowInput).mutation(async ({ ctx, input }) => {
    const tenants = input.tenantIds === undefined ? "all" : await Promise.all(input.tenantIds.map((id) => findTenantOrThrow(id)));
    const result = await backUpNow(tenants);
    await recordSystemAction(ctx, ctx.systemAdmin, "admin.backup_taken", { setPath: result.setPath, files: result.files, failures: result.failures.length });
    return result;
  }),

  /** Deletes a tenant for good; the caller types the tenant's slug to confirm (services/tenant-admin.ts). */
  delete: systemAdminProcedure.input(deleteTenantInput).mutation(({ ctx, input }) => deleteTenant(adminActor(ctx), input.id, input.confirmSlug)),
});
