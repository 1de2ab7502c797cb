import { adminAuditLogModel, auditLogModel, tenantContext, type AuditActorType, type SystemAdminRow, type TenantRow } from "@sigil/db";
import type { Identity } from "../auth/identity.ts";
import type { InnerContext } from "../context.ts";

export interface AuditTarget {
  type: string;
  id: string | null;
}

function actorOf(identity: Identity | undefined): { actorType: AuditActorType; actorId: string | null } {
  if (!identity) return { actorType: "system", actorId: null };
  return identity.kind === "apiKey" ? { actorType: "api_key", actorId: identity.apiKey.id } : { actorType: "user", actorId: identity.user.id };
}

/**
 * A URL as the audit log may keep it: scheme, host and port only. Paths, queries and user info
 * can carry secrets (webhook URLs such as Slack's are credentials themselves).
 */
export function auditableUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

/** Appends to the current tenant's audit log (inside the tenant procedure's context). */
export async function recordAudit(
  ctx: InnerContext & { identity?: Identity },
  action: string,
  target: AuditTarget | null = null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await auditLogModel.record({
    ...actorOf(ctx.identity),
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    details,
    ip: ctx.request.ip,
  });
}

/**
 * Who administers tenants: a system administrator through the API (the admin host), or an
 * operator at the installation itself (the `sigil` CLI, which has the files and no admin login;
 * `name` says who, e.g. the OS user and host).
 */
export type AdminActor = { kind: "admin"; admin: SystemAdminRow; ip: string | null } | { kind: "operator"; name: string };

/** The actor of a system-admin procedure. */
export function adminActor(ctx: InnerContext & { systemAdmin: SystemAdminRow }): AdminActor {
  return { kind: "admin", admin: ctx.systemAdmin, ip: ctx.request.ip };
}

/**
 * An administrator's action on a tenant: kept in shared.sqlite (it survives the tenant's
 * deletion) and, while the tenant exists, in the tenant's own audit log too. An operator's
 * entries have no admin id and name the operator in their details.
 */
export async function recordAdminAction(
  actor: AdminActor,
  action: string,
  tenant: Pick<TenantRow, "id" | "slug">,
  details: Record<string, unknown> = {},
  { tenantStillExists = true }: { tenantStillExists?: boolean } = {},
): Promise<void> {
  const adminId = actor.kind === "admin" ? actor.admin.id : null;
  // The admin log names an admin by id; an operator, who has none, by name in the details.
  const who = actor.kind === "admin" ? {} : actorDetails(actor);
  await adminAuditLogModel.record({ adminId, action, tenantId: tenant.id, tenantSlug: tenant.slug, details: { ...details, ...who } });
  if (!tenantStillExists) return;
  await tenantContext.runWithTenant(tenant.id, () => recordTenantAdminAction(actor, action, { type: "tenant", id: tenant.id }, details));
}

/**
 * An administrator's action inside the current tenant (a user unlocked, a password reset): the
 * tenant's audit log, as its own admins' actions are, with the administrator as the actor.
 */
export async function recordTenantAdminAction(actor: AdminActor, action: string, target: AuditTarget, details: Record<string, unknown> = {}): Promise<void> {
  await auditLogModel.record({
    ...tenantLogActor(actor),
    action,
    targetType: target.type,
    targetId: target.id,
    details: { ...details, ...actorDetails(actor) },
  });
}

/** The actor columns of a tenant audit entry made by an administrator. */
function tenantLogActor(actor: AdminActor): { actorType: AuditActorType; actorId: string | null; ip: string | null } {
  return actor.kind === "admin" ? { actorType: "system_admin", actorId: actor.admin.id, ip: actor.ip } : { actorType: "system", actorId: null, ip: null };
}

/** Who the administrator was, in an entry's details: an admin's email, or the operator's name. */
function actorDetails(actor: AdminActor): Record<string, string> {
  return actor.kind === "admin" ? { adminEmail: actor.admin.email } : { operator: actor.name, via: "cli" };
}

/**
 * A system administrator's action that concerns no single tenant (sign-in, API keys, migrating
 * every tenant): the admin audit log only.
 */
export async function recordSystemAction(
  ctx: InnerContext,
  admin: Pick<SystemAdminRow, "id"> | null,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await adminAuditLogModel.record({ adminId: admin?.id ?? null, action, tenantId: null, tenantSlug: null, details: { ...details, ip: ctx.request.ip } });
}
