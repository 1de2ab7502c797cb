import { hashPassword, sessionModel, sha256, userModel, verifyPassword } from "@sigil/db";
import {
  acceptInvitationInput,
  changePasswordInput,
  completePasswordResetInput,
  forgotPasswordInput,
  invitationTokenInput,
  isTenantFeature,
  loginInput,
  resetTokenInput,
  updateProfileInput,
} from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { clearCookie, SESSION_COOKIE } from "../auth/cookies.ts";
import { assertSameOrigin } from "../auth/origin.ts";
import { enforceInvitationRateLimits } from "../auth/rate-limit.ts";
import { authedProcedure, tenantProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { checkCredentials, endUserSessions, startSession } from "../services/auth-service.ts";
import { invitationState } from "../services/invitations.ts";
import { completePasswordReset, requestPasswordReset, resetLinkState } from "../services/password-resets.ts";
import { toPublicUser } from "../services/public-shapes.ts";
import { publicMaintenance } from "../tenant-maintenance-guard.ts";
import { router } from "../trpc.ts";

/** Any member; `me` also answers any API key (who am I, which scopes). */
const anyMember = authedProcedure({ role: "viewer" });
const anyCaller = authedProcedure({ role: "viewer", scope: "any" });

export const authRouter = router({
  login: tenantProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    // A login sets a cookie: a cross-site form must not be able to sign a victim in.
    assertSameOrigin(ctx.request, { required: false });
    // Failures are audited by checkCredentials, one entry per email and window (not per attempt).
    const user = await startSession(ctx, await checkCredentials(ctx, ctx.tenant, input.email, input.password));
    await recordAudit({ ...ctx, identity: { kind: "session", user, sessionId: "" } }, "auth.login", { type: "user", id: user.id });
    return { user: toPublicUser(user) };
  }),

  logout: tenantProcedure.mutation(async ({ ctx }) => {
    const token = ctx.request.cookies[SESSION_COOKIE];
    if (token) {
      assertSameOrigin(ctx.request, { required: true });
      const session = await sessionModel.findByTokenHash(sha256(token));
      if (session) await sessionModel.delete(session.id);
    }
    clearCookie(ctx, SESSION_COOKIE);
    return { ok: true as const };
  }),

  me: anyCaller.query(({ ctx }) => ({
    user: toPublicUser(ctx.user),
    via: ctx.identity.kind,
    scopes: ctx.identity.kind === "apiKey" ? ctx.identity.apiKey.scopes : null,
    tenant: {
      id: ctx.tenant.id,
      slug: ctx.tenant.slug,
      name: ctx.tenant.name,
      plan: ctx.tenant.plan,
      // Only features Sigil has: the web app hides the sections of the others.
      features: ctx.tenant.features.filter(isTenantFeature),
      maintenance: publicMaintenance(ctx.tenant),
    },
  })),

  /** What an invitation link is (valid, used, expired, revoked, unknown), for the page that opens it. */
  invitation: tenantProcedure.input(invitationTokenInput).query(({ ctx, input }) => invitationState(ctx, ctx.tenant, input.token)),

  acceptInvitation: tenantProcedure.input(acceptInvitationInput).mutation(async ({ ctx, input }) => {
    assertSameOrigin(ctx.request, { required: false });
    await enforceInvitationRateLimits(ctx, ctx.tenant.id, input.token);
    const passwordHash = await hashPassword(input.password);
    // One conditional UPDATE spends the token: of parallel acceptances exactly one activates the user.
    const activated = await userModel.acceptInvitation(sha256(input.token), { passwordHash, ...(input.name ? { name: input.name } : {}) });
    if (!activated) throw new TRPCError({ code: "NOT_FOUND", message: "This invitation is not valid or has expired. Ask for a new one." });
    const signedIn = await startSession(ctx, activated);
    await recordAudit({ ...ctx, identity: { kind: "session", user: activated, sessionId: "" } }, "user.invitation_accepted", {
      type: "user",
      id: activated.id,
    });
    return { user: toPublicUser(signedIn) };
  }),

  /** "Forgot password": the same answer whether or not the email belongs to a member. */
  forgotPassword: tenantProcedure.input(forgotPasswordInput).mutation(async ({ ctx, input }) => {
    assertSameOrigin(ctx.request, { required: false });
    const { delivery, user } = await requestPasswordReset(ctx, ctx.tenant, input.email);
    // Only a member's request is on record; the answer is the same either way.
    if (user)
      await recordAudit(
        { ...ctx, identity: { kind: "session", user, sessionId: "" } },
        "auth.password_reset_requested",
        { type: "user", id: user.id },
        { delivery },
      );
    return { delivery };
  }),

  /** What a password reset link is (valid with its email, used, expired, unknown). */
  passwordResetLink: tenantProcedure.input(resetTokenInput).query(({ ctx, input }) => resetLinkState(ctx, ctx.tenant, input.token)),

  /** Sets a new password with a reset link; every session of the user ends, a sign-in lock is lifted. */
  resetPassword: tenantProcedure.input(completePasswordResetInput).mutation(async ({ ctx, input }) => {
    assertSameOrigin(ctx.request, { required: false });
    const user = await completePasswordReset(ctx, ctx.tenant, input.token, input.password);
    await recordAudit({ ...ctx, identity: { kind: "session", user, sessionId: "" } }, "auth.password_reset_completed", { type: "user", id: user.id });
    return { email: user.email };
  }),

  /** The signed-in member's own name. */
  updateProfile: anyMember.input(updateProfileInput).mutation(async ({ ctx, input }) => {
    if (ctx.identity.kind !== "session") throw new TRPCError({ code: "FORBIDDEN", message: "Sign in to change your profile." });
    const updated = await userModel.update(ctx.user.id, { name: input.name });
    if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: "Your account no longer exists." });
    await recordAudit(ctx, "user.profile_updated", { type: "user", id: ctx.user.id }, { from: ctx.user.name, to: updated.name });
    return toPublicUser(updated);
  }),

  changePassword: anyMember.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    if (ctx.identity.kind !== "session") throw new TRPCError({ code: "FORBIDDEN", message: "Sign in to change your password." });
    if (!ctx.user.passwordHash || !(await verifyPassword(input.currentPassword, ctx.user.passwordHash))) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "The current password is not correct." });
    }
    await userModel.update(ctx.user.id, { passwordHash: await hashPassword(input.newPassword) });
    // Other devices must sign in again with the new password.
    await endUserSessions(ctx.user.id, ctx.identity.sessionId);
    await recordAudit(ctx, "auth.password_changed", { type: "user", id: ctx.user.id });
    return { ok: true as const };
  }),
});
