import {
  hashPassword,
  randomToken,
  sessionModel,
  sha256,
  userModel,
  verifyPassword,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { SESSION_COOKIE, setCookie } from "../auth/cookies.ts";
import type { InnerContext } from "../context.ts";

/** Verified against when the user is unknown, so both paths cost one scrypt (same response time). */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("sigil-timing-equaliser-not-a-password"));

/** Failed sign-ins for emails that have no account, so they lock exactly like real ones. */
const unknownFailures = new Map<string, { count: number; lockedUntil: number }>();
const UNKNOWN_FAILURES_CAP = 10_000;

export const INVALID_CREDENTIALS = "Invalid email or password.";

function lockedMessage(until: number): string {
  const minutes = Math.max(1, Math.ceil((until - Date.now()) / 60_000));
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Checks a password with lockout: `maxFailedLogins` failures lock the account for `lockoutMs`.
 * Unknown emails, wrong passwords, pending and inactive accounts all answer the same message in
 * the same time (one scrypt each); unknown emails lock the same way.
 */
export async function checkCredentials(ctx: InnerContext, tenant: TenantRow, email: string, password: string): Promise<UserRow> {
  const now = Date.now();
  const user = await userModel.findByEmail(email);
  const unknownKey = `${tenant.id}:${email}`;
  const lockedUntil = user ? (user.lockedUntil?.getTime() ?? 0) : (unknownFailures.get(unknownKey)?.lockedUntil ?? 0);
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummy()));
  if (lockedUntil > now) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: lockedMessage(lockedUntil) });
  if (user && passwordOk && user.status === "active") {
    if (user.failedLoginCount > 0 || user.lockedUntil) await userModel.update(user.id, { failedLoginCount: 0, lockedUntil: null });
    return user;
  }
  const { maxFailedLogins, lockoutMs } = ctx.config;
  if (user) {
    const failures = user.failedLoginCount + 1;
    const lock = failures >= maxFailedLogins;
    await userModel.update(user.id, { failedLoginCount: lock ? 0 : failures, lockedUntil: lock ? new Date(now + lockoutMs) : null });
  } else {
    const entry = unknownFailures.get(unknownKey) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= maxFailedLogins) entry.lockedUntil = now + lockoutMs;
    if (entry.count >= maxFailedLogins) entry.count = 0;
    if (unknownFailures.size >= UNKNOWN_FAILURES_CAP) unknownFailures.clear();
    unknownFailures.set(unknownKey, entry);
  }
  throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
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
