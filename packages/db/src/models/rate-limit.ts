import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { guardStatement } from "./guard-statements.ts";

/**
 * Token-bucket rate limits in shared.sqlite, so every server process draws from the same bucket.
 * A bucket holds up to `capacity` tokens and regains `capacity` per `periodMs`; each hit is one
 * upsert that refills, takes a token if there is one and returns the decision (RETURNING), so
 * parallel hits can never take the same token.
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
const TAKEN = `CASE WHEN ${REFILLED} >= 1 THEN 1 ELSE 0 END`;

const hit = guardStatement(`
  INSERT INTO rate_limit_buckets (key, tokens, updated_at, allowed, full_at)
  VALUES (:key, :capacity - 1, :now, 1, :now + CAST(1 / :rate AS INTEGER))
  ON CONFLICT (key) DO UPDATE SET
    tokens = ${REFILLED} - ${TAKEN},
    allowed = ${TAKEN},
    updated_at = MAX(rate_limit_buckets.updated_at, :now),
    full_at = MAX(rate_limit_buckets.updated_at, :now) + CAST((:capacity - (${REFILLED} - ${TAKEN})) / :rate AS INTEGER)
  RETURNING tokens, allowed`);

const pruneFull = guardStatement(`DELETE FROM rate_limit_buckets WHERE key IN (SELECT key FROM rate_limit_buckets WHERE full_at <= ? LIMIT ?)`);

/** Takes one token from bucket `key` (created full on first use). */
export function takeRateLimitToken(key: string, rule: RateLimitRule, now = Date.now()): RateLimitDecision {
  const rate = rule.capacity / rule.periodMs;
  const row = hit().get({ key, capacity: rule.capacity, rate, now }) as { tokens: number; allowed: number } | undefined;
  if (!row) throw new Error("rate_limit_buckets: the upsert returned no row.");
  if (row.allowed === 1) return { allowed: true, retryAfterMs: 0 };
  return { allowed: false, retryAfterMs: Math.ceil((1 - row.tokens) / rate) };
}

/**
 * Takes one token from each bucket in turn, in one transaction (one commit for all of them: the
 * API-key path hits two buckets per request), and stops at the first that refuses.
 */
export function takeRateLimitTokens(buckets: { key: string; rule: RateLimitRule }[], now = Date.now()): RateLimitDecision {
  if (buckets.length === 0) return { allowed: true, retryAfterMs: 0 };
  const client = HybridDatabaseManager.getInstance().getSharedDatabase().$client;
  return client
    .transaction(() => {
      for (const bucket of buckets) {
        const decision = takeRateLimitToken(bucket.key, bucket.rule, now);
        if (!decision.allowed) return decision;
      }
      return { allowed: true, retryAfterMs: 0 };
    })
    .immediate();
}

/**
 * Deletes up to `limit` buckets that have refilled completely: they hold no information (a new
 * bucket starts full), so keeping them only grows the table.
 */
export function pruneFullRateLimitBuckets(now = Date.now(), limit = 500): number {
  return pruneFull().run(now, limit).changes;
}
