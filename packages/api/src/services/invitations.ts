import { sha256, userModel, type TenantRow, type UserRow } from "@sigil/db";
import { enforceRateLimits, signInIpBucket } from "../auth/rate-limit.ts";
import type { ApiConfig } from "../config.ts";
import type { InnerContext } from "../context.ts";
import { sendMail } from "../mail/mailer.ts";
import { invitationMail } from "../mail/messages.ts";
import { logger } from "../observability/logger.ts";

/**
 * What an invitation link is when someone opens it. A user keeps the hash of their last
 * invitation's token after accepting it or having it revoked (userModel.acceptInvitation only
 * accepts a pending, unexpired one), so a used or revoked link is told apart from a made-up one.
 */
export type InvitationState =
  | { state: "valid"; email: string; name: string; workspace: { name: string; slug: string }; expiresAt: Date }
  | { state: "used" | "expired" | "revoked" | "unknown" };

export async function invitationState(ctx: InnerContext, tenant: TenantRow, token: string, now = new Date()): Promise<InvitationState> {
  await enforceRateLimits(ctx, "invitation checks", signInIpBucket(ctx));
  const user = await userModel.findOne({ invitationTokenHash: sha256(token) });
  if (!user) return { state: "unknown" };
  if (user.status === "pending") {
    if (!user.invitationExpiresAt || user.invitationExpiresAt <= now) return { state: "expired" };
    return { state: "valid", email: user.email, name: user.name, workspace: { name: tenant.name, slug: tenant.slug }, expiresAt: user.invitationExpiresAt };
  }
  return { state: user.status === "inactive" && user.passwordHash === null ? "revoked" : "used" };
}

/**
 * What the Users page calls a member: `status` alone cannot tell an expired invitation from a
 * pending one, or a revoked invitation (inactive, never had a password) from a deactivated member.
 */
export type AccountState = "active" | "invited" | "invitation_expired" | "invitation_revoked" | "deactivated";

export function accountState(user: UserRow, now = new Date()): AccountState {
  if (user.status === "active") return "active";
  if (user.status === "pending") return !user.invitationExpiresAt || user.invitationExpiresAt <= now ? "invitation_expired" : "invited";
  return user.passwordHash === null ? "invitation_revoked" : "deactivated";
}

/** Mails an invitation when SMTP is configured; the admin is shown the link either way. */
export async function mailInvitation(
  config: ApiConfig,
  tenant: TenantRow,
  invite: { email: string; name: string; token: string; expiresAt: Date },
): Promise<{ mailed: boolean; mailError: string | null }> {
  const mail = config.mail;
  if (!mail) return { mailed: false, mailError: null };
  try {
    await sendMail(mail, invitationMail(mail, tenant, invite));
    return { mailed: true, mailError: null };
  } catch (error) {
    logger().error({ err: error, tenant: tenant.slug }, "An invitation mail could not be sent.");
    return { mailed: false, mailError: "The mail server refused the message; share the link yourself." };
  }
}
