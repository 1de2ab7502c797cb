import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Failed sign-ins, one row per sign-in key (`<tenant id>:<email>` or `admin:<email>`) whether the
 * account exists or not, so a real and an unknown email count, lock and answer alike by
 * construction. One atomic upsert per failure decides the lock (models/sign-in-guard.ts); a row is
 * reused after `expires_at` and pruned by later failures. Times are milliseconds since the epoch.
 */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    key: text("key").primaryKey(),
    /** Failures in the current window, including those refused while locked. */
    failures: integer("failures").notNull(),
    windowStartedAt: integer("window_started_at").notNull(),
    lockedUntil: integer("locked_until"),
    /** When the row is stale: the later of the window's end and the lock's end. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sign_in_failures_expires_idx").on(t.expiresAt)],
);

/**
 * Token buckets of the rate limits (per IP, account, API key, tenant), shared by every server
 * process. One upsert per hit refills and takes a token (models/rate-limit.ts); a bucket that has
 * refilled completely (`full_at`) carries no information and is pruned.
 */
export const rateLimitBuckets = sqliteTable(
  "rate_limit_buckets",
  {
    key: text("key").primaryKey(),
    tokens: real("tokens").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** 1 when the last hit was let through, 0 when it was refused. */
    allowed: integer("allowed").notNull(),
    fullAt: integer("full_at").notNull(),
  },
  (t) => [index("rate_limit_buckets_full_idx").on(t.fullAt)],
);
