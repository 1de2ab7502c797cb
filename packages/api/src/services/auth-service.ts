import {
  auditLogModel,
  hashPassword,
  passwordNeedsRehash,
  randomToken,
  sessionModel,
  sha256,
  tenantSignInKey,
  userModel,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { SESSION_COOKIE, setCookie } from "../auth/cookies.ts";
import { verifyWithLockout } from "../auth/lockout.ts";
import { enforceSignInRateLimits } from "../auth/rate-limit.ts";
import type { InnerContext } from "../context.ts";

export { INVALID_CREDENTIALS } from "../auth/lockout.ts";

/** Said only to someone who gave the account's right password (auth/lockout.ts). */
export const DEACTIVATED = "This account is deactivated. Ask an admin of this workspace to reactivate it.";

/**
 * Checks a tenant user's password with the rate limits (auth/rate-limit.ts) and the lockout rules
 * (auth/lockout.ts); failures are audited as one entry per email and window, with the count.
 */
export async function checkCredentials(ctx: InnerContext, tenant: TenantRow, email: string, password: string): Promise<UserRow> {
  const signInKey = tenantSignInKey(tenant.id, email);
  await enforceSignInRateLimits(ctx, signInKey);
  const user = await verifyWithLockout({
    account: await userModel.findByEmail(email),
    signInKey,
    password,
    config: ctx.config,
    canSignIn: (user) => user.status === "active",
    refusal: () => new TRPCError({ code: "FORBIDDEN", message: DEACTIVATED }),
    unlockHint: "To get in sooner, ask an admin of this workspace to unlock your account, or reset your password (“Forgot password?”).",
    onFailure: (failure) => auditLogModel.recordFailedSignIns({ ...failure, key: signInKey, email, at: new Date() }, ctx.request.ip),
  });
  return upgradePasswordHash(user, password);
}

/**
 * An account imported from hypersigil signs in with its bcrypt hash once; the password it just
 * proved is then stored as Sigil's scrypt, so the bcrypt hash is never checked again.
 */
async function upgradePasswordHash(user: UserRow, password: string): Promise<UserRow> {
  if (!user.passwordHash || !passwordNeedsRehash(user.passwordHash)) return user;
  return (await userModel.update(user.id, { passwordHash: await hashPassword(password) })) ?? user;
}

/** Starts a session: a random token, stored hashed, sent as an HttpOnly host-only cookie. */
export async function startSession(ctx: InnerContext, user: UserRow): Promise<UserRow> {
  const token = randomToken(32);
  await sessionModel.create({ userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + ctx.config.sessionTtlMs) });
  const signedIn = await userModel.update(user.id, { lastLoginAt: new Date() });
  setCookie(ctx, SESSION_COOKIE, token, ctx.config.sessionTtlMs / 1000);
  return signedIn ?? user;
}

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/** A new invitation token: returned once (to share), stored hashed. */
export function newInvitation(): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomToken(24);
  return { token, tokenHash: sha256(token), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) };
}

export async function endUserSessions(userId: string, exceptSessionId?: string): Promise<void> {
  const sessions = await sessionModel.findMany({ where: { userId } });
  for (const session of sessions) if (session.id !== exceptSessionId) await sessionModel.delete(session.id);
}
