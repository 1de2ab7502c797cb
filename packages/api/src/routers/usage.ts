import { usageSummaryInput } from "@sigil/validators";
import { authedProcedure } from "../procedures.ts";
import { usageSummary } from "../services/usage-summary.ts";
import { router } from "../trpc.ts";

const read = authedProcedure({ role: "viewer", scope: "executions:read" });

/** The workspace's usage dashboard: executions, tokens and cost over a range of days. */
export const usageRouter = router({
  /**
   * Totals and groups (by UTC day, provider, model, prompt) of the executions created in the
   * range, aggregated in SQL in the tenant's file, with the plan's token budget and the month's tokens.
   */
  summary: read.input(usageSummaryInput).query(({ ctx, input }) => usageSummary(ctx.tenant, input)),
});
