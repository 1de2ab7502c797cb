import { pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { USAGE_METRICS } from "../../tenant/usage-counters.ts";
import { bigintColumn, updatedAt } from "../columns.ts";

/** What a tenant used per calendar month; mirrors ../../tenant/usage-counters.ts. A month's tokens can pass 2^31. */
export const usageCounters = pgTable(
  "usage_counters",
  {
    metric: text("metric", { enum: USAGE_METRICS }).notNull(),
    period: text("period").notNull(),
    count: bigintColumn("count").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.metric, t.period] })],
);
