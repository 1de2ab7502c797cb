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
 * A system administrator's action on a tenant: kept in shared.sqlite (it survives the tenant's
 * deletion) and, while the tenant exists, in the tenant's own audit log too.
 */
export async function recordAdminAction(
  ctx: InnerContext,
  admin: SystemAdminRow,
  action: string,
  tenant: Pick<TenantRow, "id" | "slug">,
  details: Record<string, unknown> = {},
  { tenantStillExists = true }: { tenantStillExists?: boolean } = {},
): Promise<void> {
  await adminAuditLogModel.record({ adminId: admin.id, action, tenantId: tenant.id, tenantSlug: tenant.slug, details });
  if (!tenantStillExists) return;
  await tenantContext.runWithTenant(tenant.id, () =>
    auditLogModel.record({
      actorType: "system_admin",
      actorId: admin.id,
      action,
      targetType: "tenant",
      targetId: tenant.id,
      details: { ...details, adminEmail: admin.email },
      ip: ctx.request.ip,
    }),
  );
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
