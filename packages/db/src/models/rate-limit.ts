import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { Session } from "../engine/session.ts";
import { guardStatement, inSharedSession } from "./guard-statements.ts";
import { pgPruneFullBuckets, pgRateLimitHit } from "./guards-pg.ts";

/**
 * Token-bucket rate limits in shared.sqlite, so every server process draws from the same bucket.
 * A bucket holds up to `capacity` tokens and regains `capacity` per `periodMs`; each draw is one
 * upsert that refills, takes tokens if there are any and returns the decision (RETURNING), so
 * parallel hits can never take the same token.
 *
 * A bucket drawn with `lease` (the API's per-key and per-tenant limits, hit on every API call)
 * takes up to `leaseSize(rule)` tokens at once and spends them in this process for at most
 * LEASE_MS: one write per that many requests instead of one per request. No more than `capacity`
 * requests are ever let through; a process may hold at most one lease's tokens that another one
 * could have used (and loses what it did not spend in time). Small buckets (sign-ins) never lease:
 * their decisions stay exact, hit by hit.
 */
export interface RateLimitRule {
  /** Hits allowed at once (the burst), and regained per period. */
  capacity: number;
  periodMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: how long until a token is back. 0 when allowed. */
  retryAfterMs: number;
}

// Bare columns in DO UPDATE are the row before the hit; the refill is repeated in each expression.
const REFILLED = `MIN(:capacity, rate_limit_buckets.tokens + MAX(0, :now - rate_limit_buckets.updated_at) * :rate)`;
// How many tokens the draw takes: up to :want, never more than the bucket holds (0 if below 1).
const TAKEN = `CASE WHEN ${REFILLED} >= 1 THEN MIN(:want, CAST(${REFILLED} AS INTEGER)) ELSE 0 END`;
const FIRST = `MIN(:want, :capacity)`;

const hit = guardStatement(`
  INSERT INTO rate_limit_buckets (key, tokens, updated_at, allowed, full_at)
  VALUES (:key, :capacity - ${FIRST}, :now, ${FIRST}, :now + CAST(${FIRST} / :rate AS INTEGER))
  ON CONFLICT (key) DO UPDATE SET
    tokens = ${REFILLED} - ${TAKEN},
    allowed = ${TAKEN},
    updated_at = MAX(rate_limit_buckets.updated_at, :now),
    full_at = MAX(rate_limit_buckets.updated_at, :now) + CAST((:capacity - (${REFILLED} - ${TAKEN})) / :rate AS INTEGER)
  RETURNING tokens, allowed`);

const pruneFull = guardStatement(`DELETE FROM rate_limit_buckets WHERE key IN (SELECT key FROM rate_limit_buckets WHERE full_at <= ? LIMIT ?)`);

/** How long a process may spend the tokens of a lease. */
export const LEASE_MS = 1_000;

/** Tokens one lease takes: none for buckets under 100 (they stay exact), at most 64. */
export function leaseSize(rule: RateLimitRule): number {
  const size = Math.min(64, Math.floor(rule.capacity / 50));
  return size >= 2 ? size : 1;
}

/** Draws up to `want` tokens from bucket `key` (created full on first use); `taken` is 0 when refused. */
async function draw(session: Session, key: string, rule: RateLimitRule, want: number, now: number): Promise<{ taken: number; retryAfterMs: number }> {
  const rate = rule.capacity / rule.periodMs;
  const params = { key, capacity: rule.capacity, rate, now, want };
  const row =
    session.engine === "postgres" ? await pgRateLimitHit(session, params) : (hit(session).get(params) as { tokens: number; allowed: number } | undefined);
  if (!row) throw new Error("rate_limit_buckets: the upsert returned no row.");
  if (row.allowed >= 1) return { taken: row.allowed, retryAfterMs: 0 };
  return { taken: 0, retryAfterMs: Math.ceil((1 - row.tokens) / rate) };
}

/** Takes one token from bucket `key` (created full on first use). */
export async function takeRateLimitToken(key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
  const { taken, retryAfterMs } = await inSharedSession("write", (session) => draw(session, key, rule, 1, now));
  return { allowed: taken > 0, retryAfterMs };
}

interface Lease {
  tokens: number;
  expiresAt: number;
}
/** Unspent leased tokens, per shared.sqlite connection (one per data directory) and bucket. */
const leases = new WeakMap<object, Map<string, Lease>>();

function leasesOf(client: object): Map<string, Lease> {
  let map = leases.get(client);
  if (!map) {
    map = new Map();
    leases.set(client, map);
  }
  return map;
}

/** Spends a leased token of the bucket if this process holds one (dropping an expired lease). */
function spendLeased(held: Map<string, Lease>, key: string, now: number): boolean {
  const lease = held.get(key);
  if (!lease) return false;
  if (lease.expiresAt <= now || lease.tokens < 1) {
    held.delete(key);
    return false;
  }
  lease.tokens -= 1;
  return true;
}

/**
 * Takes one token from each bucket in turn and stops at the first that refuses. Buckets drawn
 * with `lease` spend a token this process already holds when it can; the others, in one
 * transaction (one commit for all of them: the API-key path hits two buckets per request).
 */
export async function takeRateLimitTokens(buckets: { key: string; rule: RateLimitRule; lease?: boolean }[], now = Date.now()): Promise<RateLimitDecision> {
  const held = leasesOf(HybridDatabaseManager.getInstance());
  const spent = (bucket: (typeof buckets)[number]) => bucket.lease === true && spendLeased(held, bucket.key, now);
  // In order: a refused bucket leaves the ones after it untouched.
  let first = 0;
  for (const bucket of buckets) {
    if (!spent(bucket)) break;
    first += 1;
  }
  if (first === buckets.length) return { allowed: true, retryAfterMs: 0 };
  return inSharedSession("write", async (session) => {
    for (const bucket of buckets.slice(first)) {
      if (spent(bucket)) continue;
      const want = bucket.lease === true ? leaseSize(bucket.rule) : 1;
      const { taken, retryAfterMs } = await draw(session, bucket.key, bucket.rule, want, now);
      if (taken === 0) return { allowed: false, retryAfterMs };
      if (taken > 1) held.set(bucket.key, { tokens: taken - 1, expiresAt: now + LEASE_MS });
    }
    return { allowed: true, retryAfterMs: 0 };
  });
}

/**
 * Deletes up to `limit` buckets that have refilled completely: they hold no information (a new
 * bucket starts full), so keeping them only grows the table.
 */
export function pruneFullRateLimitBuckets(now = Date.now(), limit = 500): Promise<number> {
  return inSharedSession("write", (session) =>
    session.engine === "postgres" ? pgPruneFullBuckets(session, now, limit) : pruneFull(session).run(now, limit).changes,
  );
}
