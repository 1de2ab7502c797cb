import { admitSignIn, hashPassword, recordSignInFailure, verifyPassword, type SignInFailureCount } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { ApiConfig } from "../config.ts";

export const INVALID_CREDENTIALS = "Invalid email or password.";

/** Verified against when the account is unknown, so both paths cost one scrypt (same response time). */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("sigil-timing-equaliser-not-a-password"));

/** What a refused sign-in sends with its message (trpc.ts errorFormatter: `data.lockout`). */
export interface LockoutErrorData {
  /** When sign-in is possible again (ISO 8601). */
  lockedUntil: string;
}

/** A locked sign-in: when it ends, in the message and as data a client can show in local time. */
export class SignInLockedError extends TRPCError {
  readonly lockout: LockoutErrorData;
  constructor(until: Date, unlockHint: string | undefined) {
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
    const at = until.toISOString().slice(11, 16);
    const message = `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"} (at ${at} UTC).${unlockHint ? ` ${unlockHint}` : ""}`;
    super({ code: "TOO_MANY_REQUESTS", message });
    this.lockout = { lockedUntil: until.toISOString() };
  }
}

/**
 * Checks a password with lockout: `maxFailedLogins` failures within `lockoutMs` lock the sign-in
 * key for `lockoutMs`. The failures are counted in shared.sqlite under the sign-in key (tenant or
 * "admin" + email) whether the account exists or not, and the lock is decided by the database
 * after the password hash: an unknown account, a wrong password and an account that may not sign
 * in (`canSignIn` false) get the same answers in the same time, alone or in parallel.
 * `onFailure` sees each failure's count (the aggregated audit entry).
 *
 * An account whose password is right but that may not sign in gets `refusal(account)` (e.g.
 * "deactivated"): only a caller who proved the password learns the account's status.
 */
export async function verifyWithLockout<A extends { passwordHash: string | null }>(options: {
  account: A | null;
  /** The sign-in key: `tenantSignInKey` or `adminSignInKey` of @sigil/db. */
  signInKey: string;
  password: string;
  config: ApiConfig;
  canSignIn: (account: A) => boolean;
  /** The error for a right password on an account that may not sign in; default: invalid credentials. */
  refusal?: (account: A) => TRPCError;
  /** What a locked-out person can do besides waiting, added to the lockout message. */
  unlockHint?: string;
  onFailure: (failure: SignInFailureCount) => Promise<void>;
}): Promise<A> {
  const { account, signInKey, config } = options;
  const passwordOk = await verifyPassword(options.password, account?.passwordHash ?? (await dummy()));
  if (account && passwordOk && (options.canSignIn(account) || options.refusal)) {
    const { lockedUntil } = await admitSignIn(signInKey);
    if (lockedUntil) throw new SignInLockedError(lockedUntil, options.unlockHint);
    if (!options.canSignIn(account) && options.refusal) throw options.refusal(account);
    return account;
  }
  const failure = await recordSignInFailure(signInKey, { maxFailures: config.maxFailedLogins, lockoutMs: config.lockoutMs });
  await options.onFailure(failure);
  if (failure.refusedAsLocked && failure.lockedUntil) throw new SignInLockedError(failure.lockedUntil, options.unlockHint);
  throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
}
