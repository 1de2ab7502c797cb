import { clearSignInFailures, deletedUserModel, passwordResetModel, signInLockedUntil, tenantSignInKey, userModel, type UserRow } from "@sigil/db";
import { inviteUserInput, listUsersInput, updateRoleInput, userIdInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { endUserSessions, newInvitation } from "../services/auth-service.ts";
import { accountState, mailInvitation } from "../services/invitations.ts";
import { createResetLink } from "../services/password-resets.ts";
import { toPublicUser } from "../services/public-shapes.ts";
import { router } from "../trpc.ts";

const adminOnly = authedProcedure({ role: "admin" });
const anyMember = authedProcedure({ role: "viewer" });

async function requireUser(id: string): Promise<UserRow> {
  const user = await userModel.findById(id);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user in this workspace." });
  return user;
}

/**
 * A workspace must keep at least one active admin: the change and the check are one IMMEDIATE
 * transaction (userModel.updateKeepingAnActiveAdmin), so two admins changing each other at once
 * cannot both succeed.
 */
async function updateKeepingAnActiveAdmin(id: string, patch: Parameters<typeof userModel.updateKeepingAnActiveAdmin>[1], change: string): Promise<UserRow> {
  const result = await userModel.updateKeepingAnActiveAdmin(id, patch);
  if ("user" in result) return result.user;
  if (result.refused === "lastActiveAdmin") throw new TRPCError({ code: "BAD_REQUEST", message: `Cannot ${change} the last active admin of the workspace.` });
  throw new TRPCError({ code: "NOT_FOUND", message: "No such user in this workspace." });
}

export const usersRouter = router({
  /**
   * The members with what an admin acts on: a sign-in lock, a password reset the user asked for
   * (no mail could answer it), the account's state (an expired or revoked invitation).
   */
  list: adminOnly.input(listUsersInput).query(async ({ ctx, input }) => {
    const where = { ...(input.status ? { status: input.status } : {}), ...(input.role ? { role: input.role } : {}) };
    const users = await userModel.findMany({ where, orderBy: { column: "createdAt" } });
    const requests = await passwordResetModel.openRequests();
    const now = new Date();
    return Promise.all(
      users.map(async (user) => ({
        ...toPublicUser(user),
        lockedUntil: user.status === "active" ? await signInLockedUntil(tenantSignInKey(ctx.tenant.id, user.email)) : null,
        resetRequestedAt: user.status === "active" ? (requests.get(user.id) ?? null) : null,
        accountState: accountState(user, now),
      })),
    );
  }),

  /** Names of deleted members, for the prompts, versions and executions they authored (any member). */
  deletedAuthors: anyMember.query(async () => {
    const rows = await deletedUserModel.findMany({ orderBy: { column: "createdAt" } });
    return rows.map((row) => ({ id: row.userId, name: row.name.trim() !== "" ? row.name : row.email }));
  }),

  /** Invites a user (a seat: the plan's user limit counts active and pending users, atomically). */
  invite: adminOnly.input(inviteUserInput).mutation(async ({ ctx, input }) => {
    const existing = await userModel.findByEmail(input.email);
    // Someone whose invitation was revoked (deactivated before choosing a password) is invited
    // again on the same row; anyone else with this email is a conflict.
    const reinvite = existing !== null && existing.status === "inactive" && existing.passwordHash === null;
    if (existing && !reinvite) throw new TRPCError({ code: "CONFLICT", message: `${input.email} is already a member or invited.` });
    const invitation = newInvitation();
    const fields = {
      name: input.name,
      role: input.role,
      status: "pending" as const,
      invitationTokenHash: invitation.tokenHash,
      invitationExpiresAt: invitation.expiresAt,
    };
    const user = existing
      ? await userModel.updateWithinSeatLimit(existing.id, fields, ctx.tenant.limitUsers)
      : await userModel.createWithinSeatLimit({ email: input.email, ...fields }, ctx.tenant.limitUsers);
    if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No such user in this workspace." });
    const delivery = await mailInvitation(ctx.config, ctx.tenant, {
      email: user.email,
      name: user.name,
      token: invitation.token,
      expiresAt: invitation.expiresAt,
    });
    await recordAudit(
      ctx,
      reinvite ? "user.reinvited" : "user.invited",
      { type: "user", id: user.id },
      { email: user.email, role: user.role, mailed: delivery.mailed },
    );
    // The token is shown to the admin this once (mailed too when SMTP is configured).
    return { user: toPublicUser(user), invitationToken: invitation.token, invitationExpiresAt: invitation.expiresAt, ...delivery };
  }),

  updateRole: adminOnly.input(updateRoleInput).mutation(async ({ ctx, input }) => {
    const user = await requireUser(input.id);
    if (user.role === input.role) return toPublicUser(user);
    const updated = await updateKeepingAnActiveAdmin(user.id, { role: input.role }, "demote");
    await recordAudit(ctx, "user.role_changed", { type: "user", id: user.id }, { from: user.role, to: input.role });
    return toPublicUser(updated);
  }),

  deactivate: adminOnly.input(userIdInput).mutation(async ({ ctx, input }) => {
    const user = await requireUser(input.id);
    if (user.id === ctx.user.id) throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot deactivate yourself." });
    const updated = await updateKeepingAnActiveAdmin(user.id, { status: "inactive", invitationExpiresAt: null }, "deactivate");
    await endUserSessions(user.id);
    await recordAudit(ctx, "user.deactivated", { type: "user", id: user.id }, { email: user.email });
    return toPublicUser(updated);
  }),

  /** Reactivates an inactive user (a seat again) and clears a sign-in lock. */
  reactivate: adminOnly.input(userIdInput).mutation(async ({ ctx, input }) => {
    const user = await requireUser(input.id);
    if (user.status === "pending") throw new TRPCError({ code: "BAD_REQUEST", message: "This user has not accepted the invitation yet." });
    // Without a password they could never sign in: a new invitation is the way back.
    if (user.passwordHash === null) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `${user.email} never accepted the invitation. Invite them again to create a new link.` });
    }
    // The lock lives in the sign-in counter (auth/lockout.ts), keyed by tenant and email.
    const signInKey = tenantSignInKey(ctx.tenant.id, user.email);
    const wasLocked = (await signInLockedUntil(signInKey)) !== null;
    const patch = { status: "active" as const };
    const updated =
      user.status === "inactive" ? await userModel.updateWithinSeatLimit(user.id, patch, ctx.tenant.limitUsers) : await userModel.update(user.id, patch);
    if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: "No such user in this workspace." });
    await clearSignInFailures(signInKey);
    await recordAudit(ctx, "user.reactivated", { type: "user", id: user.id }, { email: user.email, unlocked: wasLocked });
    return toPublicUser(updated);
  }),

  /** Lifts a sign-in lock (auth/lockout.ts) before it runs out. */
  unlock: adminOnly.input(userIdInput).mutation(async ({ ctx, input }) => {
    const user = await requireUser(input.id);
    const signInKey = tenantSignInKey(ctx.tenant.id, user.email);
    const wasLocked = (await signInLockedUntil(signInKey)) !== null;
    await clearSignInFailures(signInKey);
    await recordAudit(ctx, "user.unlocked", { type: "user", id: user.id }, { email: user.email, wasLocked });
    return { user: toPublicUser(user), wasLocked };
  }),

  /** A password reset link for an active member: shown to the admin this once, mailed when SMTP is configured. */
  resetPassword: adminOnly.input(userIdInput).mutation(async ({ ctx, input }) => {
    const user = await requireUser(input.id);
    const link = await createResetLink(ctx, ctx.tenant, user, "admin");
    await recordAudit(ctx, "user.password_reset_link_created", { type: "user", id: user.id }, { email: user.email, mailed: link.mailed });
    return { user: toPublicUser(user), resetToken: link.token, expiresAt: link.expiresAt, mailed: link.mailed, mailError: link.mailError };
  }),

  /**
   * Deletes a member, an invitation or a revoked invitation. Their sessions, API keys and reset
   * links go with them; their name stays for the content they authored (deleted_users).
   */
  delete: adminOnly.input(userIdInput).mutation(async ({ ctx, input }) => {
    if (input.id === ctx.user.id) throw new TRPCError({ code: "BAD_REQUEST", message: "You cannot delete yourself. Another admin can." });
    const result = await userModel.deleteKeepingAnActiveAdmin(input.id);
    if ("refused" in result) {
      if (result.refused === "lastActiveAdmin") throw new TRPCError({ code: "BAD_REQUEST", message: "Cannot delete the last active admin of the workspace." });
      throw new TRPCError({ code: "NOT_FOUND", message: "No such user in this workspace." });
    }
    const { user } = result;
    await clearSignInFailures(tenantSignInKey(ctx.tenant.id, user.email));
    await recordAudit(ctx, "user.deleted", { type: "user", id: user.id }, { email: user.email, name: user.name, status: user.status });
    return { id: user.id, email: user.email, name: user.name };
  }),
});
