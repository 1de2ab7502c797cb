import { executionUsageModel, type ExecutionUsageSummary, type TenantRow, type UsageFigures } from "@sigil/db";
import type { UsageSummaryInput } from "@sigil/validators";
import { monthlyTokenUsage, type MonthlyTokenUsage } from "./quotas.ts";

const DAY_MS = 86_400_000;

export interface UsageSummary extends Omit<ExecutionUsageSummary, "byDay"> {
  /** The range as asked: whole UTC days, both ends included. */
  range: { from: string; to: string };
  /** Every day of the range, in order, zeros where nothing ran (a chart's x axis). */
  byDay: (UsageFigures & { day: string })[];
  /** The plan's token budget and this calendar month's tokens (UTC), whatever the range. */
  tokenBudget: MonthlyTokenUsage;
}

const ZERO: UsageFigures = { executions: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: 0 };

/** The usage dashboard of the current tenant for a range of UTC days (services/quotas.ts for the budget). */
export async function usageSummary(tenant: Pick<TenantRow, "limitTokensPerMonth">, range: UsageSummaryInput, now = new Date()): Promise<UsageSummary> {
  const from = new Date(`${range.from}T00:00:00.000Z`);
  const to = new Date(Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS);
  const [summary, tokenBudget] = await Promise.all([executionUsageModel.summary(from, to), monthlyTokenUsage(tenant, now)]);
  const byDay = new Map(summary.byDay.map((row) => [row.day, row]));
  const days: (UsageFigures & { day: string })[] = [];
  for (let at = from.getTime(); at < to.getTime(); at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.push(byDay.get(day) ?? { day, ...ZERO });
  }
  return { ...summary, range: { from: range.from, to: range.to }, byDay: days, tokenBudget };
}
