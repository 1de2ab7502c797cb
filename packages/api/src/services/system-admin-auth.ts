import {
  hashPassword,
  randomToken,
  sha256,
  systemAdminModel,
  systemAdminSessionModel,
  verifyPassword,
  type SystemAdminRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { ADMIN_SESSION_COOKIE, setCookie } from "../auth/cookies.ts";
import type { InnerContext } from "../context.ts";
import { INVALID_CREDENTIALS } from "./auth-service.ts";

/** Verified against when the email is unknown, so both paths cost one scrypt (same response time). */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("sigil-admin-timing-equaliser-not-a-password"));

/** Failed sign-ins for emails that are no administrator, so they lock exactly like real ones. */
const unknownFailures = new Map<string, { count: number; lockedUntil: number }>();
const UNKNOWN_FAILURES_CAP = 10_000;

/** System-admin sessions are shorter than tenant sessions (at most 12 hours): they can do anything. */
const MAX_ADMIN_SESSION_MS = 12 * 3_600_000;

export function adminSessionTtlMs(ctx: InnerContext): number {
  return Math.min(ctx.config.sessionTtlMs, MAX_ADMIN_SESSION_MS);
}

/** Same wording as the tenant sign-in's lockout (services/auth-service.ts). */
function lockedMessage(until: number): string {
  const minutes = Math.max(1, Math.ceil((until - Date.now()) / 60_000));
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Checks a system administrator's password with the tenant sign-in's lockout rules:
 * `maxFailedLogins` failures lock for `lockoutMs`; an unknown email and a wrong password get the
 * same message in the same time (one scrypt each), and unknown emails lock the same way.
 */
export async function checkSystemAdminCredentials(ctx: InnerContext, email: string, password: string): Promise<SystemAdminRow> {
  const now = Date.now();
  const normalized = email.toLowerCase();
  const admin = await systemAdminModel.findByEmail(normalized);
  const lockedUntil = admin ? (admin.lockedUntil?.getTime() ?? 0) : (unknownFailures.get(normalized)?.lockedUntil ?? 0);
  const passwordOk = await verifyPassword(password, admin?.passwordHash ?? (await dummy()));
  if (lockedUntil > now) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: lockedMessage(lockedUntil) });
  if (admin && passwordOk) {
    if (admin.failedLoginCount > 0 || admin.lockedUntil) await systemAdminModel.update(admin.id, { failedLoginCount: 0, lockedUntil: null });
    return admin;
  }
  const { maxFailedLogins, lockoutMs } = ctx.config;
  if (admin) {
    const failures = admin.failedLoginCount + 1;
    const lock = failures >= maxFailedLogins;
    await systemAdminModel.update(admin.id, { failedLoginCount: lock ? 0 : failures, lockedUntil: lock ? new Date(now + lockoutMs) : null });
  } else {
    const entry = unknownFailures.get(normalized) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= maxFailedLogins) {
      entry.lockedUntil = now + lockoutMs;
      entry.count = 0;
    }
    if (unknownFailures.size >= UNKNOWN_FAILURES_CAP) unknownFailures.clear();
    unknownFailures.set(normalized, entry);
  }
  throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
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
