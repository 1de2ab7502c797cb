import type { AdminAuditRow, SystemAdminRow, SystemApiKeyRow } from "@sigil/db";

/** What clients may see of a system administrator: never the hash or lock counters. */
export function toPublicSystemAdmin(admin: SystemAdminRow) {
  return { id: admin.id, email: admin.email, name: admin.name, lastLoginAt: admin.lastLoginAt, createdAt: admin.createdAt };
}
export type PublicSystemAdmin = ReturnType<typeof toPublicSystemAdmin>;

/** What clients may see of a system-admin API key: never its secret or hash. */
export function toPublicSystemApiKey(key: SystemApiKeyRow) {
  return {
    id: key.id,
    name: key.name,
    keyId: key.keyId,
    prefix: `sgla_${key.keyId}_…`,
    adminId: key.adminId,
    status: key.status,
    usageCount: key.usageCount,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    createdAt: key.createdAt,
  };
}
export type PublicSystemApiKey = ReturnType<typeof toPublicSystemApiKey>;

export function toPublicAdminAuditEntry(entry: AdminAuditRow) {
  return {
    id: entry.id,
    adminId: entry.adminId,
    action: entry.action,
    tenantId: entry.tenantId,
    tenantSlug: entry.tenantSlug,
    details: entry.details,
    createdAt: entry.createdAt,
  };
}
