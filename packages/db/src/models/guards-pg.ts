import { sql, type SQL } from "drizzle-orm";
import { rawRows } from "../engine/raw.ts";
import type { Session } from "../engine/session.ts";

/**
 * The PostgreSQL statements of the sign-in and rate-limit guards: the same single atomic upserts
 * as the SQLite ones in rate-limit.ts and sign-in-guard.ts, in PostgreSQL's words (LEAST and
 * GREATEST for the two-argument MIN and MAX, trunc() where SQLite's CAST to INTEGER truncates, a
 * type on every parameter, bigint columns read back as numbers).
 */

interface DrawParams {
  key: string;
  capacity: number;
  rate: number;
  now: number;
  want: number;
}

/** One draw of up to `want` tokens from a bucket (rate-limit.ts draw): the bucket after it. */
export async function pgRateLimitHit(session: Session, p: DrawParams): Promise<{ tokens: number; allowed: number }> {
  const capacity = sql`${p.capacity}::double precision`;
  const rate = sql`${p.rate}::double precision`;
  const now = sql`${p.now}::bigint`;
  const want = sql`${p.want}::integer`;
  const refilled = sql`LEAST(${capacity}, b.tokens + GREATEST(0, ${now} - b.updated_at) * ${rate})`;
  const taken = sql`(CASE WHEN ${refilled} >= 1 THEN LEAST(${want}, trunc(${refilled})::integer) ELSE 0 END)`;
  const first = sql`LEAST(${want}, trunc(${capacity})::integer)`;
  const [row] = await rawRows<{ tokens: number; allowed: number }>(
    session,
    sql`INSERT INTO sigil_shared.rate_limit_buckets AS b (key, tokens, updated_at, allowed, full_at)
        VALUES (${p.key}, ${capacity} - ${first}, ${now}, ${first}, ${now} + trunc(${first} / ${rate})::bigint)
        ON CONFLICT (key) DO UPDATE SET
          tokens = ${refilled} - ${taken},
          allowed = ${taken},
          updated_at = GREATEST(b.updated_at, ${now}),
          full_at = GREATEST(b.updated_at, ${now}) + trunc((${capacity} - (${refilled} - ${taken})) / ${rate})::bigint
        RETURNING tokens, allowed`,
  );
  if (!row) throw new Error("rate_limit_buckets: the upsert returned no row.");
  return { tokens: Number(row.tokens), allowed: Number(row.allowed) };
}

/** Deletes up to `limit` buckets that are full again by `now`; how many went. */
export async function pgPruneFullBuckets(session: Session, now: number, limit: number): Promise<number> {
  const rows = await rawRows(
    session,
    sql`DELETE FROM sigil_shared.rate_limit_buckets WHERE key IN (
          SELECT key FROM sigil_shared.rate_limit_buckets WHERE full_at <= ${now}::bigint LIMIT ${limit}::integer)
        RETURNING 1`,
  );
  return rows.length;
}

interface FailureParams {
  key: string;
  now: number;
  max: number;
  lockoutMs: number;
}

/** Counts one failed sign-in (sign-in-guard.ts recordFailure): the counter after it. */
export async function pgRecordSignInFailure(
  session: Session,
  p: FailureParams,
): Promise<{ failures: number; windowStartedAt: number; lockedUntil: number | null }> {
  const now = sql`${p.now}::bigint`;
  const max = sql`${p.max}::integer`;
  const lockoutMs = sql`${p.lockoutMs}::bigint`;
  const stale = sql`f.expires_at <= ${now}`;
  const failures: SQL = sql`(CASE WHEN ${stale} THEN 1 ELSE f.failures + 1 END)`;
  const windowStart = sql`(CASE WHEN ${stale} THEN ${now} ELSE f.window_started_at END)`;
  const lock = sql`(CASE WHEN f.locked_until > ${now} THEN f.locked_until WHEN ${failures} >= ${max} THEN ${now} + ${lockoutMs} ELSE NULL END)`;
  const [row] = await rawRows<{ failures: number; window_started_at: string | number; locked_until: string | number | null }>(
    session,
    sql`INSERT INTO sigil_shared.sign_in_failures AS f (key, failures, window_started_at, locked_until, expires_at)
        VALUES (${p.key}, 1, ${now}, CASE WHEN 1 >= ${max} THEN ${now} + ${lockoutMs} ELSE NULL END, ${now} + ${lockoutMs})
        ON CONFLICT (key) DO UPDATE SET
          failures = ${failures},
          window_started_at = ${windowStart},
          locked_until = ${lock},
          expires_at = GREATEST(${windowStart} + ${lockoutMs}, COALESCE(${lock}, 0))
        RETURNING failures, window_started_at, locked_until`,
  );
  if (!row) throw new Error("sign_in_failures: the upsert returned no row.");
  return {
    failures: Number(row.failures),
    windowStartedAt: Number(row.window_started_at),
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
  };
}

/** The end of the key's lockout if it is locked at `now`. */
export async function pgSignInLock(session: Session, key: string, now: number): Promise<number | undefined> {
  const [row] = await rawRows<{ locked_until: string | number }>(
    session,
    sql`SELECT locked_until FROM sigil_shared.sign_in_failures WHERE key = ${key} AND locked_until > ${now}::bigint`,
  );
  return row ? Number(row.locked_until) : undefined;
}

export async function pgClearSignInKey(session: Session, key: string): Promise<void> {
  await rawRows(session, sql`DELETE FROM sigil_shared.sign_in_failures WHERE key = ${key} RETURNING 1`);
}

export async function pgPruneExpiredFailures(session: Session, now: number, limit: number): Promise<void> {
  await rawRows(
    session,
    sql`DELETE FROM sigil_shared.sign_in_failures WHERE key IN (
          SELECT key FROM sigil_shared.sign_in_failures WHERE expires_at <= ${now}::bigint LIMIT ${limit}::integer)
        RETURNING 1`,
  );
}
