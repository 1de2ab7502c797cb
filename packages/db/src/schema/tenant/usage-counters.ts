import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { updatedAt } from "../columns.ts";

/** `tokens`: input + output tokens of the month's finished executions, for the token budget. */
export const USAGE_METRICS = ["executions", "tokens"] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/**
 * What a tenant used per calendar month (UTC, `period` = "YYYY-MM"), for plan quotas. Counted up
 * in the transaction that creates what is counted and never counted down: deleting a prompt (and
 * with it its executions) does not give the month's executions back.
 */
export const usageCounters = sqliteTable(
  "usage_counters",
  {
    metric: text("metric", { enum: USAGE_METRICS }).notNull(),
    period: text("period").notNull(),
    count: integer("count").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.metric, t.period] })],
);
