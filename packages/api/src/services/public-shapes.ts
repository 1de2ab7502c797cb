import type { ApiKeyRow, UserRow } from "@sigil/db";

/** What clients may see of a user: never hashes, tokens or lock counters. */
export function toPublicUser(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    lastLoginAt: user.lastLoginAt,
    createdAt: user.createdAt,
    invitationExpiresAt: user.status === "pending" ? user.invitationExpiresAt : null,
  };
}
export type PublicUser = ReturnType<typeof toPublicUser>;

/** What clients may see of an API key: never its secret or hash. */
export function toPublicApiKey(key: ApiKeyRow) {
  return {
    id: key.id,
    name: key.name,
    keyId: key.keyId,
    prefix: `sgl_${key.keyId}_…`,
    scopes: key.scopes,
    status: key.status,
    userId: key.userId,
    usageCount: key.usageCount,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    createdAt: key.createdAt,
  };
}
export type PublicApiKey = ReturnType<typeof toPublicApiKey>;
