import { doublePrecision, index, integer, text } from "drizzle-orm/pg-core";
import { bigintColumn } from "../columns.ts";
import { sigilShared } from "./schema.ts";

/**
 * Sign-in failures and rate-limit buckets; mirrors ../../shared/guards.ts. Their times are epoch
 * milliseconds kept as plain numbers (the models do arithmetic on them), hence bigint, not timestamp.
 */
export const signInFailures = sigilShared.table(
  "sign_in_failures",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: bigintColumn("window_started_at").notNull(),
    lockedUntil: bigintColumn("locked_until"),
    expiresAt: bigintColumn("expires_at").notNull(),
  },
  (t) => [index("sign_in_failures_expires_idx").on(t.expiresAt)],
);

export const rateLimitBuckets = sigilShared.table(
  "rate_limit_buckets",
  {
    key: text("key").primaryKey(),
    tokens: doublePrecision("tokens").notNull(),
    updatedAt: bigintColumn("updated_at").notNull(),
    /** 1 when the last hit was let through, 0 when it was refused (a number, as in SQLite). */
    allowed: integer("allowed").notNull(),
    fullAt: bigintColumn("full_at").notNull(),
  },
  (t) => [index("rate_limit_buckets_full_idx").on(t.fullAt)],
);
