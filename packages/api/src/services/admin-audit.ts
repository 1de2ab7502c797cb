import { randomUUID } from "node:crypto";
import { AdminAuditLogModel, type AdminAuditRow, type SystemAdminRow } from "@sigil/db";
import type { InnerContext } from "../context.ts";

export interface AdminAuditEntry {
  adminId: string | null;
  action: string;
  tenantId: string | null;
  tenantSlug: string | null;
  details: Record<string, unknown>;
}

/**
 * Writes admin audit entries. `AdminAuditLogModel.create` refuses `tenantId` (the base model
 * treats it as a managed field on every model, although on admin_audit_log it is plain data: the
 * tenant the action concerned), so every admin action on a tenant failed. Until @sigil/db gives
 * the model a `record()` like AuditLogModel's, this subclass inserts through the model's own
 * database access (shared.sqlite), never through a connection of its own.
 */
class AdminAuditRecorder extends AdminAuditLogModel {
  async record(entry: AdminAuditEntry): Promise<AdminAuditRow> {
    return this.withDatabase("admin_audit_log.record", (db) =>
      db
        .insert(this.table)
        .values({ id: randomUUID(), createdAt: new Date(), ...entry })
        .returning()
        .get(),
    );
  }
}

export const adminAuditRecorder = new AdminAuditRecorder();

/**
 * A system administrator's action that concerns no single tenant (sign-in, API keys, migrating
 * every tenant): the admin audit log only. Actions on a tenant use recordAdminAction (audit.ts).
 */
export async function recordSystemAction(
  ctx: InnerContext,
  admin: Pick<SystemAdminRow, "id"> | null,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await adminAuditRecorder.record({ adminId: admin?.id ?? null, action, tenantId: null, tenantSlug: null, details: { ...details, ip: ctx.request.ip } });
}
