import { and, eq, gte, lt, sql } from "drizzle-orm";
import { executions } from "../schema/tenant/executions.ts";
import { prompts } from "../schema/tenant/prompts.ts";
import { IsolatedModel } from "./strategies.ts";

/** The numbers of one group of executions (a day, a provider, a model, a prompt, or all). */
export interface UsageFigures {
  executions: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars of the priced executions; those without a price add nothing. */
  costUsd: number;
  /** Executions that reported tokens but had no price when they finished. */
  unpriced: number;
}

export interface ExecutionUsageSummary {
  totals: UsageFigures;
  /** `day` is the UTC date (YYYY-MM-DD) the executions were created; days without any are absent. */
  byDay: (UsageFigures & { day: string })[];
  byProvider: (UsageFigures & { provider: string })[];
  byModel: (UsageFigures & { provider: string; model: string })[];
  /** `name` is null when the prompt was deleted (its executions go with it, so only in a race). */
  byPrompt: (UsageFigures & { promptId: string; name: string | null })[];
}

const figures = {
  executions: sql<number>`count(*)`,
  failed: sql<number>`coalesce(sum(${executions.status} = 'failed'), 0)`,
  inputTokens: sql<number>`coalesce(sum(${executions.inputTokens}), 0)`,
  outputTokens: sql<number>`coalesce(sum(${executions.outputTokens}), 0)`,
  costUsd: sql<number>`coalesce(sum(${executions.costUsd}), 0)`,
  unpriced: sql<number>`coalesce(sum(${executions.costUsd} IS NULL AND (${executions.inputTokens} IS NOT NULL OR ${executions.outputTokens} IS NOT NULL)), 0)`,
};

const utcDay = sql<string>`strftime('%Y-%m-%d', ${executions.createdAt} / 1000, 'unixepoch')`;

/**
 * The usage dashboard's aggregates over the current tenant's executions, in SQL in its own file:
 * executions created in [from, to) — a range on `created_at`, which executions_created_idx
 * serves — summed per UTC day, provider, model and prompt.
 */
export class ExecutionUsageModel extends IsolatedModel<typeof executions> {
  constructor() {
    super(executions);
  }

  async summary(from: Date, to: Date): Promise<ExecutionUsageSummary> {
    return this.withDatabase("executions.usageSummary", (db) =>
      // One read transaction: the five queries see the same executions.
      this.transaction(
        db,
        (tx) => {
          const inRange = and(gte(executions.createdAt, from), lt(executions.createdAt, to));
          const totals = tx.select(figures).from(executions).where(inRange).get();
          return {
            totals: totals ?? { executions: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: 0 },
            byDay: tx
              .select({ day: utcDay, ...figures })
              .from(executions)
              .where(inRange)
              .groupBy(utcDay)
              .orderBy(utcDay)
              .all(),
            byProvider: tx
              .select({ provider: executions.provider, ...figures })
              .from(executions)
              .where(inRange)
              .groupBy(executions.provider)
              .orderBy(executions.provider)
              .all(),
            byModel: tx
              .select({ provider: executions.provider, model: executions.model, ...figures })
              .from(executions)
              .where(inRange)
              .groupBy(executions.provider, executions.model)
              .orderBy(executions.provider, executions.model)
              .all(),
            byPrompt: tx
              .select({ promptId: executions.promptId, name: prompts.name, ...figures })
              .from(executions)
              .leftJoin(prompts, eq(prompts.id, executions.promptId))
              .where(inRange)
              .groupBy(executions.promptId)
              .all(),
          };
        },
        "deferred",
      ),
    );
  }
}

export const executionUsageModel = new ExecutionUsageModel();
