import { adminAuditLogModel, adminSignInKey, randomToken, sha256, systemAdminModel, systemAdminSessionModel, type SystemAdminRow } from "@sigil/db";
import { ADMIN_SESSION_COOKIE, setCookie } from "../auth/cookies.ts";
import type { InnerContext } from "../context.ts";
import { verifyWithLockout } from "../auth/lockout.ts";
import { enforceSignInRateLimits } from "../auth/rate-limit.ts";

/** System-admin sessions are shorter than tenant sessions (at most 12 hours): they can do anything. */
const MAX_ADMIN_SESSION_MS = 12 * 3_600_000;

export function adminSessionTtlMs(ctx: InnerContext): number {
  return Math.min(ctx.config.sessionTtlMs, MAX_ADMIN_SESSION_MS);
}

/**
 * Checks a system administrator's password with the tenant sign-in's rate limits and lockout
 * rules (auth/rate-limit.ts, auth/lockout.ts); failures are audited once per email and window.
 */
export async function checkSystemAdminCredentials(ctx: InnerContext, email: string, password: string): Promise<SystemAdminRow> {
  const normalized = email.toLowerCase();
  const signInKey = adminSignInKey(normalized);
  await enforceSignInRateLimits(ctx, signInKey);
  return verifyWithLockout({
    account: await systemAdminModel.findByEmail(normalized),
    signInKey,
    password,
    config: ctx.config,
    canSignIn: () => true,
    onFailure: (failure) => adminAuditLogModel.recordFailedSignIns({ ...failure, key: signInKey, email: normalized, at: new Date() }, ctx.request.ip),
  });
}

/**
 * Starts a system-admin session: a random token stored as a SHA-256 hash, sent as an HttpOnly,
 * SameSite=Lax, host-only cookie (no Domain: it never reaches the tenants' subdomains). Expired
 * sessions of the same administrator are purged on the way.
 */
export async function startSystemAdminSession(ctx: InnerContext, admin: SystemAdminRow): Promise<void> {
  const now = new Date();
  const ttl = adminSessionTtlMs(ctx);
  for (const session of await systemAdminSessionModel.findMany({ where: { adminId: admin.id } })) {
    if (session.expiresAt.getTime() <= now.getTime()) await systemAdminSessionModel.delete(session.id);
  }
  const token = randomToken(32);
  await systemAdminSessionModel.create({ adminId: admin.id, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + ttl) });
  await systemAdminModel.update(admin.id, { lastLoginAt: now });
  setCookie(ctx, ADMIN_SESSION_COOKIE, token, ttl / 1000);
}
