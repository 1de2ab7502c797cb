import { hashPassword, verifyPassword } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { ApiConfig } from "../config.ts";

export const INVALID_CREDENTIALS = "Invalid email or password.";

/** A tenant user or a system administrator: anything with a password and a lock. */
export interface LockableAccount {
  id: string;
  passwordHash: string | null;
  failedLoginCount: number;
  lockedUntil: Date | null;
}

/** Verified against when the account is unknown, so both paths cost one scrypt (same response time). */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("sigil-timing-equaliser-not-a-password"));

/** Failed sign-ins of unknown accounts, so they lock exactly like real ones (no account probing). */
const unknownFailures = new Map<string, { count: number; lockedUntil: number }>();
const UNKNOWN_FAILURES_CAP = 10_000;

function lockedMessage(until: number): string {
  const minutes = Math.max(1, Math.ceil((until - Date.now()) / 60_000));
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Checks a password with lockout: `maxFailedLogins` failures lock the account for `lockoutMs`.
 * An unknown account, a wrong password and an account that may not sign in (`canSignIn` false)
 * all get the same message in the same time (one scrypt each); unknown accounts lock the same way.
 */
export async function verifyWithLockout<A extends LockableAccount>(options: {
  account: A | null;
  /** Identifies an unknown account across attempts (e.g. tenant id + email). */
  unknownKey: string;
  password: string;
  config: ApiConfig;
  canSignIn: (account: A) => boolean;
  save: (id: string, patch: { failedLoginCount: number; lockedUntil: Date | null }) => Promise<unknown>;
}): Promise<A> {
  const { account, unknownKey, config } = options;
  const now = Date.now();
  const lockedUntil = account ? (account.lockedUntil?.getTime() ?? 0) : (unknownFailures.get(unknownKey)?.lockedUntil ?? 0);
  const passwordOk = await verifyPassword(options.password, account?.passwordHash ?? (await dummy()));
  if (lockedUntil > now) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: lockedMessage(lockedUntil) });
  if (account && passwordOk && options.canSignIn(account)) {
    if (account.failedLoginCount > 0 || account.lockedUntil) await options.save(account.id, { failedLoginCount: 0, lockedUntil: null });
    return account;
  }
  if (account) {
    const failures = account.failedLoginCount + 1;
    const lock = failures >= config.maxFailedLogins;
    await options.save(account.id, { failedLoginCount: lock ? 0 : failures, lockedUntil: lock ? new Date(now + config.lockoutMs) : null });
  } else {
    const entry = unknownFailures.get(unknownKey) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= config.maxFailedLogins) {
      entry.lockedUntil = now + config.lockoutMs;
      entry.count = 0;
    }
    if (unknownFailures.size >= UNKNOWN_FAILURES_CAP) unknownFailures.clear();
    unknownFailures.set(unknownKey, entry);
  }
  throw new TRPCError({ code: "UNAUTHORIZED", message: INVALID_CREDENTIALS });
}
