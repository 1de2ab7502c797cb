import { hashPassword, tenantContext, tenantModel, toTenantDocument, userModel, type TenantDeletion, type TenantRow, type UserRow } from "@sigil/db";
import type { CreateTenantInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import type { ApiConfig } from "../config.ts";
import { recordAdminAction, type AdminActor } from "./audit.ts";
import { newInvitation } from "./auth-service.ts";
import { mailInvitation } from "./invitations.ts";
import { toPublicUser } from "./public-shapes.ts";

/**
 * The administration of tenants, whoever does it: the admin host's procedures
 * (routers/tenants.ts) and the `sigil` CLI (apps/cli) call these, so a workspace made, suspended
 * or deleted from the shell goes through the same checks and leaves the same audit trail.
 */

export async function findTenantOrThrow(id: string): Promise<TenantRow> {
  const row = await tenantModel.findById(id);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No workspace with id ${id} exists.` });
  return row;
}

/**
 * A custom domain must lie outside the root domain: a host under it is read as `<slug>.<root>`
 * (tenant identification), so the custom domain would never be used.
 */
export function assertUsableDomain(config: ApiConfig, domain: string): void {
  const root = config.rootDomain;
  if (domain === root || domain.endsWith(`.${root}`)) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `The custom domain ${domain} is under ${root}; workspaces already answer on <slug>.${root}. Use a domain of your own.`,
    });
  }
}

export async function assertDomainFree(domain: string, exceptTenantId: string | null): Promise<void> {
  const holder = await tenantModel.findByDomain(domain);
  if (holder && holder.id !== exceptTenantId) {
    throw new TRPCError({ code: "CONFLICT", message: `The domain ${domain} is already used by another workspace.` });
  }
}

/**
 * The seed's create, plus the owner: provisions the tenant, then creates its first admin inside
 * the new tenant's context. With a password the owner is active; without, the owner is invited
 * (pending) and the invitation token is returned, once. If the owner cannot be created the
 * tenant is deleted again, so nothing half-made remains.
 */
export async function createTenantWithOwner(actor: AdminActor, config: ApiConfig, input: CreateTenantInput) {
  const domain = input.settings.domain ?? null;
  if (domain !== null) {
    assertUsableDomain(config, domain);
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
    // The owner's invitation is mailed when SMTP is configured; the administrator gets the link either way.
    const delivery =
      invitation === null
        ? null
        : await mailInvitation(config, tenant, { email: owner.email, name: owner.name, token: invitation.token, expiresAt: invitation.expiresAt });
    await recordAdminAction(actor, "tenant.created", tenant, {
      name: tenant.name,
      plan: tenant.plan,
      owner: { id: owner.id, email: owner.email, status: owner.status, mailed: delivery?.mailed ?? false },
    });
    return {
      tenant: toTenantDocument(tenant),
      owner: toPublicUser(owner),
      /** Present when the owner was invited: share `token` with them; it is not shown again. */
      invitation: invitation === null || delivery === null ? null : { token: invitation.token, expiresAt: invitation.expiresAt, ...delivery },
    };
  } catch (error) {
    try {
      await tenantModel.deleteTenant(tenant.id);
    } catch (cleanupError) {
      console.error(`Could not remove tenant ${tenant.slug} after its owner could not be created:`, cleanupError);
    }
    throw error;
  }
}

/** Suspends a tenant: its procedures answer FORBIDDEN naming the status until reactivated. */
export async function suspendTenant(actor: AdminActor, id: string): Promise<TenantRow> {
  const before = await findTenantOrThrow(id);
  const tenant = await tenantModel.suspend(before.id);
  await recordAdminAction(actor, "tenant.suspended", tenant, { previousStatus: before.status });
  return tenant;
}

export async function reactivateTenant(actor: AdminActor, id: string): Promise<TenantRow> {
  const before = await findTenantOrThrow(id);
  const tenant = await tenantModel.reactivate(before.id);
  await recordAdminAction(actor, "tenant.reactivated", tenant, { previousStatus: before.status });
  return tenant;
}

/**
 * Deletes a tenant for good (its shared rows, its file with -wal and -shm). The caller types the
 * tenant's slug to confirm; the admin audit log keeps the record.
 */
export async function deleteTenant(actor: AdminActor, id: string, confirmSlug: string): Promise<TenantDeletion> {
  const tenant = await findTenantOrThrow(id);
  if (confirmSlug !== tenant.slug) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `To delete this workspace, confirm with its slug "${tenant.slug}"; "${confirmSlug}" does not match.`,
    });
  }
  const deletion = await tenantModel.deleteTenant(tenant.id);
  await recordAdminAction(actor, "tenant.deleted", tenant, { name: tenant.name, plan: tenant.plan, removed: deletion.removed }, { tenantStillExists: false });
  return deletion;
}
