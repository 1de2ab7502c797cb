import { admitSignIn, hashPassword, recordSignInFailure, verifyPassword, type SignInFailureCount } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { ApiConfig } from "../config.ts";

export const INVALID_CREDENTIALS = "Invalid email or password.";

/** Verified against when the account is unknown, so both paths cost one scrypt (same response time). */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("sigil-timing-equaliser-not-a-password"));

function lockedError(until: Date): TRPCError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` });
}

/**
 * Checks a password with lockout: `maxFailedLogins` failures within `lockoutMs` lock the sign-in
 * key for `lockoutMs`. The failures are counted in shared.sqlite under the sign-in key (tenant or
 * "admin" + email) whether the account exists or not, and the lock is decided by the database
 * after the password hash: an unknown account, a wrong password and an account that may not sign
 * in (`canSignIn` false) get the same answers in the same time, alone or in parallel.
 * `onFailure` sees each failure's count (the aggregated audit entry).
 */
export async function verifyWithLockout<A extends { passwordHash: string | null }>(options: {
  account: A | null;
  /** The sign-in key: `tenantSignInKey` or `adminSignInKey` of @sigil/db. */
  signInKey: string;
  password: string;
  config: ApiConfig;
  canSignIn: (account: A) => boolean;
  onFailure: (failure: SignInFailureCount) => Promise<void>;
}): Promise<A> {
  const { account, signInKey, config } = options;
  const passwordOk = await verifyPassword(options.password, account?.passwordHash ?? (await dummy()));
  if (account && passwordOk && options.canSignIn(account)) {
    const { lockedUntil } = await admitSignIn(signInKey);
    if (lockedUntil) throw lockedError(lockedUntil);
    return account;
  }
  const failure = await recordSignInFailure(signInKey, { maxFailures: config.maxFailedLogins, lockoutMs: config.lockoutMs });
  await options.onFailure(failure);
  if (failure.refusedAsLocked && failure.lockedUntil) throw lockedError(failure.lockedUntil);
  throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
}
