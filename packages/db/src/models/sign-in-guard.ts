import { guardStatement, inSharedSession } from "./guard-statements.ts";
import { pgClearSignInKey, pgPruneExpiredFailures, pgRecordSignInFailure, pgSignInLock } from "./guards-pg.ts";
import type { Session } from "../engine/session.ts";

/**
 * Sign-in failure counting (the lockout), in shared.sqlite so every server process sees it.
 *
 * One row per sign-in key, whether the account exists or not: a real and an unknown email are
 * counted, locked and answered by the same statements, so nobody can tell them apart. Each
 * failure is one upsert whose RETURNING decides the lock; a success reads the lock from the row
 * after the password hash, never from a copy read before it (parallel attempts would all see
 * the same stale count).
 */

/** The counter key of a tenant user's sign-in (email as the sign-in form normalises it). */
export function tenantSignInKey(tenantId: string, email: string): string {
  return `${tenantId}:${email.trim().toLowerCase()}`;
}

/** The counter key of a system administrator's sign-in. */
export function adminSignInKey(email: string): string {
  return `admin:${email.trim().toLowerCase()}`;
}

export interface LockoutPolicy {
  /** Failures within one window that lock the key. */
  maxFailures: number;
  /** How long a window counts failures, and how long a lock lasts. */
  lockoutMs: number;
}

export interface SignInFailureCount {
  /** Failures in this window, this one included. */
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
  /** The key was already locked before this attempt (the attempt is refused as locked). */
  refusedAsLocked: boolean;
}

// In ON CONFLICT DO UPDATE every bare column is the row before the update: the "stale" test and
// the new count are therefore repeated in each SET expression rather than referring to each other.
const STALE = "sign_in_failures.expires_at <= :now";
const NEW_FAILURES = `CASE WHEN ${STALE} THEN 1 ELSE sign_in_failures.failures + 1 END`;
const NEW_WINDOW = `CASE WHEN ${STALE} THEN :now ELSE sign_in_failures.window_started_at END`;
const NEW_LOCK = `CASE WHEN sign_in_failures.locked_until > :now THEN sign_in_failures.locked_until
  WHEN ${NEW_FAILURES} >= :max THEN :now + :lockoutMs ELSE NULL END`;

const recordFailure = guardStatement(`
  INSERT INTO sign_in_failures (key, failures, window_started_at, locked_until, expires_at)
  VALUES (:key, 1, :now, CASE WHEN 1 >= :max THEN :now + :lockoutMs ELSE NULL END, :now + :lockoutMs)
  ON CONFLICT (key) DO UPDATE SET
    failures = ${NEW_FAILURES},
    window_started_at = ${NEW_WINDOW},
    locked_until = ${NEW_LOCK},
    expires_at = MAX(${NEW_WINDOW} + :lockoutMs, COALESCE(${NEW_LOCK}, 0))
  RETURNING failures, window_started_at AS windowStartedAt, locked_until AS lockedUntil`);

const readLock = guardStatement(`SELECT locked_until AS lockedUntil FROM sign_in_failures WHERE key = ? AND locked_until > ?`);
const clearKey = guardStatement(`DELETE FROM sign_in_failures WHERE key = ?`);
const pruneExpired = guardStatement(`DELETE FROM sign_in_failures WHERE key IN (SELECT key FROM sign_in_failures WHERE expires_at <= ? LIMIT ?)`);

/** Rows removed per failure: more than the one a failure can add, so stale rows never pile up. */
const PRUNE_BATCH = 20;

/**
 * Counts a failed sign-in of `key` and says whether it locked (or was already locked). Stale
 * rows (window and lock over) are reused, and a few expired rows of other keys are pruned.
 */
export async function recordSignInFailure(key: string, policy: LockoutPolicy, now = Date.now()): Promise<SignInFailureCount> {
  const params = { key, now, max: policy.maxFailures, lockoutMs: policy.lockoutMs };
  const row = await inSharedSession("write", async (session) => {
    if (session.engine === "postgres") {
      const counted = await pgRecordSignInFailure(session, params);
      await pgPruneExpiredFailures(session, now, PRUNE_BATCH);
      return counted;
    }
    const counted = recordFailure(session).get(params) as { failures: number; windowStartedAt: number; lockedUntil: number | null } | undefined;
    pruneExpired(session).run(now, PRUNE_BATCH);
    return counted;
  });
  if (!row) throw new Error("sign_in_failures: the upsert returned no row.");
  const locked = row.lockedUntil !== null && row.lockedUntil > now;
  return {
    failures: row.failures,
    windowStartedAt: new Date(row.windowStartedAt),
    lockedUntil: row.lockedUntil === null ? null : new Date(row.lockedUntil),
    refusedAsLocked: locked && row.failures > policy.maxFailures,
  };
}

/** The running lock of `key`, read now (after the password hash), or null. */
export async function signInLockedUntil(key: string, now = Date.now()): Promise<Date | null> {
  const lockedUntil = await inSharedSession("read", (session) => lockOf(session, key, now));
  return lockedUntil === undefined ? null : new Date(lockedUntil);
}

/**
 * A successful sign-in: refused (the lock is returned) if the key is locked at this moment,
 * else its failures are forgotten. Read and delete run in one IMMEDIATE transaction.
 */
export async function admitSignIn(key: string, now = Date.now()): Promise<{ lockedUntil: Date | null }> {
  return inSharedSession("write", async (session) => {
    const lockedUntil = await lockOf(session, key, now);
    if (lockedUntil !== undefined) return { lockedUntil: new Date(lockedUntil) };
    await clearOf(session, key);
    return { lockedUntil: null };
  });
}

/** Forgets the failures and lifts the lock of `key` (an admin reactivated the account). */
export async function clearSignInFailures(key: string): Promise<void> {
  await inSharedSession("write", (session) => clearOf(session, key));
}

async function lockOf(session: Session, key: string, now: number): Promise<number | undefined> {
  if (session.engine === "postgres") return pgSignInLock(session, key, now);
  return (readLock(session).get(key, now) as { lockedUntil: number } | undefined)?.lockedUntil;
}

async function clearOf(session: Session, key: string): Promise<void> {
  if (session.engine === "postgres") await pgClearSignInKey(session, key);
  else clearKey(session).run(key);
}
