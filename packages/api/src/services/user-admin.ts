import { clearSignInFailures, hashPassword, signInLockedUntil, tenantContext, tenantSignInKey, userModel, type TenantRow, type UserRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { recordTenantAdminAction, type AdminActor } from "./audit.ts";
import { endUserSessions } from "./auth-service.ts";

/**
 * What an installation's administrators do for a tenant's users when the tenant's own admins
 * cannot (the `sigil users` commands): see them with their sign-in locks, lift a lock, set a
 * password. Each change is in the tenant's audit log with the administrator as the actor.
 */

export interface UserWithLock {
  user: UserRow;
  /** Until when sign-in is refused after repeated failures (auth/lockout.ts), or null. */
  lockedUntil: Date | null;
}

export async function listUsersWithLocks(tenant: TenantRow): Promise<UserWithLock[]> {
  const users = await tenantContext.runWithTenant(tenant.id, () => userModel.findMany({ orderBy: { column: "createdAt" } }));
  return Promise.all(users.map(async (user) => ({ user, lockedUntil: await signInLockedUntil(tenantSignInKey(tenant.id, user.email)) })));
}

async function requireUserByEmail(tenant: TenantRow, email: string): Promise<UserRow> {
  const user = await userModel.findByEmail(email);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `No user ${email} in the workspace "${tenant.slug}".` });
  return user;
}

/** Lifts a sign-in lock (the failure count too). Returns whether there was one. */
export async function unlockUser(actor: AdminActor, tenant: TenantRow, email: string): Promise<{ user: UserRow; wasLocked: boolean }> {
  return tenantContext.runWithTenant(tenant.id, async () => {
    const user = await requireUserByEmail(tenant, email);
    const key = tenantSignInKey(tenant.id, user.email);
    const wasLocked = (await signInLockedUntil(key)) !== null;
    await clearSignInFailures(key);
    await recordTenantAdminAction(actor, "user.unlocked", { type: "user", id: user.id }, { email: user.email, wasLocked });
    return { user, wasLocked };
  });
}

/**
 * Sets a user's password: every session of theirs ends and a sign-in lock is lifted. Only for
 * users who chose a password before (an invited user accepts the invitation instead).
 */
export async function resetUserPassword(actor: AdminActor, tenant: TenantRow, email: string, password: string): Promise<UserRow> {
  if (password.length < 10) throw new TRPCError({ code: "BAD_REQUEST", message: "The password needs at least 10 characters." });
  const passwordHash = await hashPassword(password);
  return tenantContext.runWithTenant(tenant.id, async () => {
    const user = await requireUserByEmail(tenant, email);
    if (user.status === "pending") {
      throw new TRPCError({ code: "BAD_REQUEST", message: `${user.email} has not accepted the invitation yet; they choose a password when they do.` });
    }
    const updated = await userModel.update(user.id, { passwordHash });
    if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: `No user ${email} in the workspace "${tenant.slug}".` });
    await endUserSessions(user.id);
    await clearSignInFailures(tenantSignInKey(tenant.id, user.email));
    await recordTenantAdminAction(actor, "user.password_reset", { type: "user", id: user.id }, { email: user.email });
    return updated;
  });
}
