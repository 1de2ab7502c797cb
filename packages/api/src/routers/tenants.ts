import {
  hashPassword,
  listTenantsWithUsage,
  tenantContext,
  tenantModel,
  tenantUsageOf,
  toTenantDocument,
  userModel,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { createTenantInput, deleteTenantInput, listTenantsInput, tenantIdInput, updateTenantInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import type { InnerContext } from "../context.ts";
import { systemAdminProcedure } from "../procedures.ts";
import { recordAdminAction } from "../services/audit.ts";
import { newInvitation } from "../services/auth-service.ts";
import { toPublicUser } from "../services/public-shapes.ts";
import { toTenantWithUsage } from "../services/tenant-usage.ts";
import { router } from "../trpc.ts";

type TenantPatch = NonNullable<Parameters<typeof tenantModel.update>[1]>;

async function findTenantOrThrow(id: string): Promise<TenantRow> {
  const row = await tenantModel.findById(id);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No workspace with id ${id} exists.` });
  return row;
}

/**
 * A custom domain must lie outside the root domain: a host under it is read as `<slug>.<root>`
 * (tenant identification), so the custom domain would never be used.
 */
function assertUsableDomain(ctx: InnerContext, domain: string): void {
  const root = ctx.config.rootDomain;
  if (domain === root || domain.endsWith(`.${root}`)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `The custom domain ${domain} is under ${root}; workspaces already answer on <slug>.${root}. Use a domain of your own.`,
    });
  }
}

async function assertDomainFree(domain: string, exceptTenantId: string | null): Promise<void> {
  const holder = await tenantModel.findByDomain(domain);
  if (holder && holder.id !== exceptTenantId) {
    throw new TRPCError({ code: "CONFLICT", message: `The domain ${domain} is already used by another workspace.` });
  }
}

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
  /**
   * The seed's create, plus the owner: provisions the tenant, then creates its first admin
   * inside the new tenant's context. With a password the owner is active; without, the owner is
   * invited (pending) and the invitation token is returned here, once. If the owner cannot be
   * created the tenant is deleted again, so nothing half-made remains.
   */
  create: systemAdminProcedure.input(createTenantInput).mutation(async ({ ctx, input }) => {
    const domain = input.settings.domain ?? null;
    if (domain !== null) {
      assertUsableDomain(ctx, domain);
      await assertDomainFree(domain, null);
    }
    // scrypt before provisioning: slow, and a failure here must leave nothing to clean up.
    const passwordHash = input.owner.password === undefined ? null : await hashPassword(input.owner.password);
    const tenant = await tenantModel.createTenant({
      name: input.name,
      slug: input.slug,
      plan: input.plan,
      settings: { domain, features: input.settings.features, limits: input.settings.limits },
    });
    try {
      const invitation = passwordHash === null ? newInvitation() : null;
      const owner: UserRow = await tenantContext.runWithTenant(tenant.id, () =>
        userModel.createWithinSeatLimit(
          {
            email: input.owner.email,
            name: input.owner.name,
            role: "admin",
            ...(invitation === null
              ? { status: "active" as const, passwordHash }
              : { status: "pending" as const, invitationTokenHash: invitation.tokenHash, invitationExpiresAt: invitation.expiresAt }),
          },
          tenant.limitUsers,
        ),
      );
      await recordAdminAction(ctx, ctx.systemAdmin, "tenant.created", tenant, {
        name: tenant.name,
        plan: tenant.plan,
        owner: { id: owner.id, email: owner.email, status: owner.status },
      });
      return {
        tenant: toTenantDocument(tenant),
        owner: toPublicUser(owner),
        /** Present when the owner was invited: share `token` with them; it is not shown again. */
        invitation: invitation === null ? null : { token: invitation.token, expiresAt: invitation.expiresAt },
      };
    } catch (error) {
      try {
        await tenantModel.deleteTenant(tenant.id);
      } catch (cleanupError) {
        console.error(`Could not remove tenant ${tenant.slug} after its owner could not be created:`, cleanupError);
      }
      throw error;
    }
  }),

  /** The seed's getById: the tenant document plus its usage, from the control plane (no tenant file is opened). */
  getById: systemAdminProcedure.input(tenantIdInput).query(async ({ input }) => {
    const tenant = await findTenantOrThrow(input.id);
    const usage = tenantUsageOf(tenant.id);
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
        assertUsableDomain(ctx, settings.domain);
        await assertDomainFree(settings.domain, before.id);
      }
      patch.domain = settings.domain;
    }
    if (settings?.features !== undefined) patch.features = settings.features;
    const limits = settings?.limits;
    if (limits?.users !== undefined) patch.limitUsers = limits.users;
    if (limits?.storage !== undefined) patch.limitStorageMb = limits.storage;
    if (limits?.executions_per_month !== undefined) patch.limitExecutionsPerMonth = limits.executions_per_month;
    // A concurrent update taking the same domain still fails on the unique index (CONFLICT).
    const after = await tenantModel.update(before.id, patch);
    if (!after) throw new TRPCError({ code: "NOT_FOUND", message: `No workspace with id ${before.id} exists.` });
    await recordAdminAction(ctx, ctx.systemAdmin, "tenant.updated", after, { changes: changesOf(before, after, patch) });
    return toTenantDocument(after);
  }),

  /**
   * One page of tenants with their usage (seats, storage, executions this month, prompts, database
   * size, schema version, last activity), searched by name, slug or custom domain, filtered by
   * status and plan and sorted, all in SQL over shared.sqlite with the total: it never opens a
   * tenant file, so it costs the same with 10 tenants or 10,000 (docs/architecture.md, The
   * control-plane mirror).
   */
  list: systemAdminProcedure.input(listTenantsInput).query(({ input }) => {
    const page = listTenantsWithUsage(input);
    return { ...page, tenants: page.tenants.map(({ tenant, usage }) => toTenantWithUsage(tenant, usage)) };
  }),

  /** Suspends a tenant: its procedures answer FORBIDDEN naming the status until reactivated. */
  suspend: systemAdminProcedure.input(tenantIdInput).mutation(async ({ ctx, input }) => {
    const before = await findTenantOrThrow(input.id);
    const tenant = await tenantModel.suspend(before.id);
    await recordAdminAction(ctx, ctx.systemAdmin, "tenant.suspended", tenant, { previousStatus: before.status });
    return toTenantDocument(tenant);
  }),

  reactivate: systemAdminProcedure.input(tenantIdInput).mutation(async ({ ctx, input }) => {
    const before = await findTenantOrThrow(input.id);
    const tenant = await tenantModel.reactivate(before.id);
    await recordAdminAction(ctx, ctx.systemAdmin, "tenant.reactivated", tenant, { previousStatus: before.status });
    return toTenantDocument(tenant);
  }),

  /**
   * Deletes a tenant for good (its shared rows, its file with -wal and -shm). The caller types
   * the tenant's slug to confirm; the admin audit log keeps the record.
   */
  delete: systemAdminProcedure.input(deleteTenantInput).mutation(async ({ ctx, input }) => {
    const tenant = await findTenantOrThrow(input.id);
    if (input.confirmSlug !== tenant.slug) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `To delete this workspace, confirm with its slug "${tenant.slug}"; "${input.confirmSlug}" does not match.`,
      });
    }
    const deletion = await tenantModel.deleteTenant(tenant.id);
    await recordAdminAction(
      ctx,
      ctx.systemAdmin,
      "tenant.deleted",
      tenant,
      { name: tenant.name, plan: tenant.plan, removed: deletion.removed },
      { tenantStillExists: false },
    );
    return deletion;
  }),
});
