import { and, eq, sql } from "drizzle-orm";
import { QuotaExceededError } from "../errors.ts";
import type { Session } from "../engine/session.ts";
import type { UsageMetric } from "../schema/tenant/usage-counters.ts";
import { utcPeriod } from "../usage-periods.ts";

/** A month's usage from its counter (deletions never lower it). */
export async function readUsage({ db, t }: Session, metric: UsageMetric, period: string): Promise<number> {
  const { usageCounters } = t;
  const [row] = await db
    .select({ count: usageCounters.count })
    .from(usageCounters)
    .where(and(eq(usageCounters.metric, metric), eq(usageCounters.period, period)));
  return row?.count ?? 0;
}

/** Raises a month's usage counter inside the caller's session (counters never go down). */
export async function addUsage({ db, t }: Session, metric: UsageMetric, period: string, amount: number, now: Date): Promise<void> {
  const { usageCounters } = t;
  await db
    .insert(usageCounters)
    .values({ metric, period, count: amount, updatedAt: now })
    .onConflictDoUpdate({
      target: [usageCounters.metric, usageCounters.period],
      set: { count: sql`${usageCounters.count} + ${amount}`, updatedAt: now },
    });
}

/** A plan's monthly limits as execution creation enforces them. */
export interface MonthlyLimits {
  /** Executions a calendar month (UTC). */
  executions: number;
  /** Input + output tokens a calendar month (UTC); null: no token budget. */
  tokens: number | null;
}

/** Several executions created at once (a batch run, a retry of its failed cells), for the refusal's wording. */
export interface ExecutionBatch {
  needed: number;
  /** What needs them, as the message starts: "This run", "Retrying the failed cells". */
  what: string;
}

/**
 * Throws QuotaExceededError (nothing is written) unless one execution, or `batch.needed`, fit this
 * month's execution limit and this month's tokens are still below the token budget. Call it inside
 * the IMMEDIATE transaction that inserts the executions, so the check and the insert cannot be
 * interleaved by a parallel request. Tokens are only known once executions finish, so the budget
 * refuses new executions once it is reached; those already queued still run.
 */
export async function assertWithinMonthlyLimits(s: Session, limits: MonthlyLimits, now: Date, batch?: ExecutionBatch): Promise<void> {
  const period = utcPeriod(now);
  const needed = batch?.needed ?? 1;
  const used = await readUsage(s, "executions", period);
  if (used + needed > limits.executions) {
    const message = batch
      ? `${batch.what} needs ${needed} execution${needed === 1 ? "" : "s"}; the plan allows ${limits.executions} a month and ${used} ran this month (UTC).`
      : `The plan allows ${limits.executions} executions a month and ${used} ran this month (UTC).`;
    throw new QuotaExceededError("executions_per_month", limits.executions, used, message);
  }
  if (limits.tokens !== null) {
    const tokens = await readUsage(s, "tokens", period);
    if (tokens >= limits.tokens) {
      throw new QuotaExceededError(
        "tokens_per_month",
        limits.tokens,
        tokens,
        `The plan's token budget is ${formatCount(limits.tokens)} tokens a month and executions used ${formatCount(tokens)} this month (UTC); ` +
          "new executions are refused until the month ends or the budget is raised.",
      );
    }
  }
}

function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
