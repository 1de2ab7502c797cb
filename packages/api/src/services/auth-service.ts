import {
  randomToken,
  sessionModel,
  sha256,
  userModel,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { SESSION_COOKIE, setCookie } from "../auth/cookies.ts";
import { verifyWithLockout } from "../auth/lockout.ts";
import type { InnerContext } from "../context.ts";

export { INVALID_CREDENTIALS } from "../auth/lockout.ts";

/** Checks a tenant user's password with the lockout rules (auth/lockout.ts). */
export async function checkCredentials(ctx: InnerContext, tenant: TenantRow, email: string, password: string): Promise<UserRow> {
  return verifyWithLockout({
    account: await userModel.findByEmail(email),
    unknownKey: `${tenant.id}:${email}`,
    password,
    config: ctx.config,
    canSignIn: (user) => user.status === "active",
    save: (id, patch) => userModel.update(id, patch),
  });
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
