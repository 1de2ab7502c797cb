import {
  clearSignInFailures,
  hashPassword,
  passwordResetModel,
  randomToken,
  sha256,
  tenantSignInKey,
  userModel,
  type PasswordResetOrigin,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { enforceRateLimits, signInIpBucket } from "../auth/rate-limit.ts";
import type { InnerContext } from "../context.ts";
import { sendMail } from "../mail/mailer.ts";
import { passwordResetMail } from "../mail/messages.ts";
import { logger } from "../observability/logger.ts";
import { DEACTIVATED, endUserSessions } from "./auth-service.ts";

/**
 * Password resets (schema/shared/accounts.ts in @sigil/db): a random token, stored as its
 * SHA-256 hash, valid once for PASSWORD_RESET_TTL_MINUTES. With SMTP configured the link is
 * mailed; without, a user's request waits on the Users page until an admin creates the link and
 * hands it over. Completing a reset ends every session of the user and lifts a sign-in lock.
 */

export const RESET_LINK_MESSAGES = {
  unknown: "This password reset link is not valid. Check that you copied all of it, or ask for a new one.",
  used: "This password reset link was already used. Ask for a new one if you need to reset your password again.",
  expired: "This password reset link has expired. Ask for a new one.",
} as const;

export type ResetLinkState = { state: "valid"; email: string } | { state: keyof typeof RESET_LINK_MESSAGES };

/** Requests are limited like sign-ins: per IP address (shared with sign-ins) and per account. */
async function enforceResetRequestLimits(ctx: InnerContext, tenant: TenantRow, email: string): Promise<void> {
  await enforceRateLimits(ctx, "password reset requests", [
    ...signInIpBucket(ctx),
    { key: `reset-request:${tenantSignInKey(tenant.id, email)}`, perMinute: ctx.config.rateLimits.signInPerAccount },
  ]);
}

/** Checking and using a link: per IP address (shared with sign-ins) and per link. */
async function enforceResetTokenLimits(ctx: InnerContext, tenant: TenantRow, token: string): Promise<void> {
  await enforceRateLimits(ctx, "attempts with a password reset link", [
    ...signInIpBucket(ctx),
    { key: `reset-token:${tenant.id}:${sha256(token)}`, perMinute: ctx.config.rateLimits.signInPerAccount },
  ]);
}

function newResetToken(ctx: InnerContext): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomToken(32);
  return { token, tokenHash: sha256(token), expiresAt: new Date(Date.now() + ctx.config.passwordResetTtlMs) };
}

/**
 * "Forgot password": the answer never says whether the email belongs to anyone; it only says how
 * links are delivered in this installation. An active user gets a mailed link (sent after the
 * answer, so its time does not tell either) or, without mail, a request the admins see.
 */
export async function requestPasswordReset(ctx: InnerContext, tenant: TenantRow, email: string): Promise<{ delivery: "mail" | "admin"; user: UserRow | null }> {
  await enforceResetRequestLimits(ctx, tenant, email);
  const mail = ctx.config.mail;
  const user = await userModel.findByEmail(email);
  const active = user && user.status === "active" ? user : null;
  if (active) {
    if (mail) {
      const link = newResetToken(ctx);
      await passwordResetModel.createLink({ userId: active.id, origin: "user", tokenHash: link.tokenHash, expiresAt: link.expiresAt });
      const message = passwordResetMail(mail, tenant, { email: active.email, name: active.name, token: link.token, expiresAt: link.expiresAt });
      void sendMail(mail, message).catch((error: unknown) => {
        logger().error({ err: error, tenant: tenant.slug }, "A password reset mail could not be sent.");
      });
    } else {
      await passwordResetModel.recordRequest(active.id);
    }
  }
  return { delivery: mail ? "mail" : "admin", user: active };
}

/**
 * A new link for `user` (an admin's "Reset password", or the mail of a user's own request): earlier
 * open links and requests of theirs end. Mailed when SMTP is configured; the token is returned
 * for the admin to show this once either way.
 */
export async function createResetLink(
  ctx: InnerContext,
  tenant: TenantRow,
  user: UserRow,
  origin: PasswordResetOrigin,
): Promise<{ token: string; expiresAt: Date; mailed: boolean; mailError: string | null }> {
  if (user.status !== "active") {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message:
        user.status === "pending"
          ? `${user.email} has not accepted the invitation yet; they choose a password when they do.`
          : `${user.email} is deactivated. Reactivate them first.`,
    });
  }
  const link = newResetToken(ctx);
  await passwordResetModel.createLink({ userId: user.id, origin, tokenHash: link.tokenHash, expiresAt: link.expiresAt });
  const mail = ctx.config.mail;
  if (!mail) return { token: link.token, expiresAt: link.expiresAt, mailed: false, mailError: null };
  try {
    await sendMail(mail, passwordResetMail(mail, tenant, { email: user.email, name: user.name, token: link.token, expiresAt: link.expiresAt }));
    return { token: link.token, expiresAt: link.expiresAt, mailed: true, mailError: null };
  } catch (error) {
    logger().error({ err: error, tenant: tenant.slug }, "A password reset mail could not be sent.");
    return { token: link.token, expiresAt: link.expiresAt, mailed: false, mailError: "The mail server refused the message; hand the link over yourself." };
  }
}

/** What a reset link is, for the page that opens it. */
export async function resetLinkState(ctx: InnerContext, tenant: TenantRow, token: string): Promise<ResetLinkState> {
  await enforceResetTokenLimits(ctx, tenant, token);
  const found = await passwordResetModel.tokenState(sha256(token));
  if (found.state !== "valid") return { state: found.state };
  const user = await userModel.findById(found.reset.userId);
  return user ? { state: "valid", email: user.email } : { state: "unknown" };
}

/**
 * Sets the password a valid link allows: the link is spent (one conditional UPDATE), every
 * session of the user ends and a sign-in lock is lifted.
 */
export async function completePasswordReset(ctx: InnerContext, tenant: TenantRow, token: string, password: string): Promise<UserRow> {
  await enforceResetTokenLimits(ctx, tenant, token);
  const tokenHash = sha256(token);
  const passwordHash = await hashPassword(password);
  const reset = await passwordResetModel.spend(tokenHash);
  if (!reset) {
    const found = await passwordResetModel.tokenState(tokenHash);
    const state = found.state === "valid" ? "used" : found.state;
    throw new TRPCError({ code: state === "unknown" ? "NOT_FOUND" : "BAD_REQUEST", message: RESET_LINK_MESSAGES[state] });
  }
  const user = await userModel.findById(reset.userId);
  if (!user || user.status !== "active") {
    throw new TRPCError({ code: "FORBIDDEN", message: DEACTIVATED });
  }
  const updated = (await userModel.update(user.id, { passwordHash })) ?? user;
  await endUserSessions(user.id);
  await clearSignInFailures(tenantSignInKey(tenant.id, user.email));
  return updated;
}
