import { and, eq, sql } from "drizzle-orm";
import { usageCounters, type UsageMetric } from "../schema/tenant/usage-counters.ts";
import type { SyncDatabase } from "./base-model.ts";

/** A month's executions from the usage counter (deletions never lower it). */
export function readUsage(db: SyncDatabase, period: string): number {
  const row = db
    .select({ count: usageCounters.count })
    .from(usageCounters)
    .where(and(eq(usageCounters.metric, "executions"), eq(usageCounters.period, period)))
    .get();
  return row?.count ?? 0;
}

/** Raises a month's usage counter inside the caller's transaction (counters never go down). */
export function addUsage(tx: SyncDatabase, metric: UsageMetric, period: string, amount: number, now: Date): void {
  tx.insert(usageCounters)
    .values({ metric, period, count: amount, updatedAt: now })
    .onConflictDoUpdate({
      target: [usageCounters.metric, usageCounters.period],
      set: { count: sql`${usageCounters.count} + ${amount}`, updatedAt: now },
    })
    .run();
}
