import { and, eq, gte, lt, sql } from "drizzle-orm";
import { countWhere, sumOf, utcDay } from "../engine/dialect.ts";
import type { Tables } from "../engine/session.ts";
import { executions } from "../schema/tenant/executions.ts";
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

function figures({ executions }: Tables) {
  return {
    executions: sql<number>`count(*)`.mapWith(Number),
    failed: countWhere(sql`${executions.status} = 'failed'`),
    inputTokens: sumOf(executions.inputTokens),
    outputTokens: sumOf(executions.outputTokens),
    costUsd: sumOf(executions.costUsd),
    unpriced: countWhere(sql`${executions.costUsd} IS NULL AND (${executions.inputTokens} IS NOT NULL OR ${executions.outputTokens} IS NOT NULL)`),
  };
}

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
    // One read session: the five queries see the same executions.
    return this.session("executions.usageSummary", "read", async (s) => {
      const { db, t } = s;
      const { executions, prompts } = t;
      const sums = figures(t);
      const day = utcDay(s, executions.createdAt);
      const inRange = and(gte(executions.createdAt, from), lt(executions.createdAt, to));
      const [totals] = await db.select(sums).from(executions).where(inRange);
      return {
        totals: totals ?? { executions: 0, failed: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: 0 },
        byDay: await db
          .select({ day, ...sums })
          .from(executions)
          .where(inRange)
          .groupBy(day)
          .orderBy(day),
        byProvider: await db
          .select({ provider: executions.provider, ...sums })
          .from(executions)
          .where(inRange)
          .groupBy(executions.provider)
          .orderBy(executions.provider),
        byModel: await db
          .select({ provider: executions.provider, model: executions.model, ...sums })
          .from(executions)
          .where(inRange)
          .groupBy(executions.provider, executions.model)
          .orderBy(executions.provider, executions.model),
        byPrompt: await db
          .select({ promptId: executions.promptId, name: prompts.name, ...sums })
          .from(executions)
          .leftJoin(prompts, eq(prompts.id, executions.promptId))
          .where(inRange)
          .groupBy(executions.promptId, prompts.name),
      };
    });
  }
}

export const executionUsageModel = new ExecutionUsageModel();
