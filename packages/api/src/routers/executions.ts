import { deploymentModel, executionModel, executionReviewModel } from "@sigil/db";
import { createExecutionInput, executionIdInput, exportExecutionsPageInput, listExecutionsInput, setExecutionReviewInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { assertFeatureEnabled } from "../features.ts";
import { authedProcedure } from "../procedures.ts";
import { createExecution, TEMPLATE_PROVIDER } from "../services/executions.ts";
import { recordAudit } from "../services/audit.ts";
import { toExecutionFilter } from "../services/execution-filters.ts";
import { monthlyExecutionUsage } from "../services/quotas.ts";
import { ERRORS } from "../rest/errors.ts";
import { executionOutput, pageOutput } from "../rest/outputs.ts";
import { router } from "../trpc.ts";

const run = authedProcedure({ role: "user", scope: "executions:run" });
const read = authedProcedure({ role: "viewer", scope: "executions:read" });

export const executionsRouter = router({
  /**
   * Creates a pending execution of a prompt version (the current one unless `version`) or of a
   * deployment. Counts against the plan's monthly executions (atomically).
   */
  create: run
    .meta({
      openapi: {
        method: "POST",
        path: "/executions",
        tags: ["executions"],
        summary: "Create an execution",
        description:
          "A pending execution of a prompt (its current version unless `version`) or of a deployment; the worker runs it. Counts against the monthly executions of the plan.",
        errorResponses: ERRORS.write,
      },
    })
    .input(createExecutionInput)
    .output(executionOutput)
    .mutation(async ({ ctx, input }) => {
      if (input.deploymentId !== undefined) {
        // Before the lookup: a workspace without deployments learns that, not whether the id exists.
        assertFeatureEnabled(ctx.tenant, "deployments");
        const deployment = await deploymentModel.findById(input.deploymentId);
        if (!deployment) throw new TRPCError({ code: "NOT_FOUND", message: `Deployment ${input.deploymentId} does not exist.` });
        return createExecution(ctx, { kind: "deployment", deployment, input: input.input, fileIds: input.fileIds, options: input.options });
      }
      if (input.promptId === undefined) throw new TRPCError({ code: "BAD_REQUEST", message: "Give either promptId or deploymentId." });
      return createExecution(ctx, {
        kind: "prompt",
        promptId: input.promptId,
        version: input.version,
        input: input.input,
        provider: input.provider ?? TEMPLATE_PROVIDER,
        model: input.model,
        fileIds: input.fileIds,
        options: input.options,
      });
    }),

  /** Newest first; filter by status, prompt, deployment, star, review status and creation date. */
  list: read
    .meta({
      openapi: {
        method: "GET",
        path: "/executions",
        tags: ["executions"],
        summary: "List executions",
        description:
          "Newest first; filter by status, prompt, deployment, star, review status and creation date (`from`, `to`: a day or an instant, both included).",
        errorResponses: ERRORS.read,
      },
    })
    .input(listExecutionsInput.prefault({}))
    .output(pageOutput(executionOutput, "ExecutionPage"))
    .query(({ ctx, input }) => {
      if (input.deploymentId !== undefined) assertFeatureEnabled(ctx.tenant, "deployments");
      return executionReviewModel.list(toExecutionFilter(input), input.page, input.pageSize);
    }),

  /**
   * One page of the CSV export (http/executions-export.ts calls it page after page): the list's
   * filters, newest first, with each execution's prompt name; `next` is null on the last page.
   */
  exportPage: read.input(exportExecutionsPageInput).query(async ({ ctx, input }) => {
    if (input.deploymentId !== undefined) assertFeatureEnabled(ctx.tenant, "deployments");
    const rows = await executionReviewModel.exportPage(toExecutionFilter(input), input.after ?? null, input.limit);
    const last = rows.at(-1);
    return { rows, next: rows.length === input.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  }),

  /**
   * Cancels a pending execution. Atomic against the worker's claim: whichever commits first wins,
   * and a cancel that lost (the execution is running or finished) is a CONFLICT naming its status.
   */
  cancel: run
    .meta({
      openapi: {
        method: "POST",
        path: "/executions/{id}/cancel",
        tags: ["executions"],
        summary: "Cancel a pending execution",
        description: "Only a pending execution can be cancelled; one the worker has started answers 409 with its status.",
        errorResponses: ERRORS.write,
      },
    })
    .input(executionIdInput)
    .output(executionOutput)
    .mutation(async ({ ctx, input }) => {
      const outcome = await executionReviewModel.cancelPending(input.id);
      if (!outcome) throw new TRPCError({ code: "NOT_FOUND", message: `Execution ${input.id} does not exist.` });
      if (!outcome.cancelled) {
        throw new TRPCError({
          code: "CONFLICT",
          message: `Execution ${input.id} is ${outcome.status}, not pending: ${outcome.status === "running" ? "the worker started it first" : "it has already ended"}, so it cannot be cancelled.`,
        });
      }
      await recordAudit(ctx, "execution.cancelled", { type: "execution", id: input.id });
      return outcome.row;
    }),

  /** Stars or unstars an execution and/or sets its review status (new, reviewed, needs work). */
  setReview: run
    .meta({
      openapi: {
        method: "POST",
        path: "/executions/{id}/review",
        tags: ["executions"],
        summary: "Star an execution or set its review status",
        description: "`starred` and/or `reviewStatus` (new, reviewed, needs_work).",
        errorResponses: ERRORS.write,
      },
    })
    .input(setExecutionReviewInput)
    .output(executionOutput)
    .mutation(async ({ ctx, input }) => {
      const row = await executionReviewModel.setReview(input.id, { starred: input.starred, reviewStatus: input.reviewStatus });
      if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Execution ${input.id} does not exist.` });
      await recordAudit(
        ctx,
        "execution.reviewed",
        { type: "execution", id: input.id },
        {
          ...(input.starred !== undefined ? { starred: input.starred } : {}),
          ...(input.reviewStatus !== undefined ? { reviewStatus: input.reviewStatus } : {}),
        },
      );
      return row;
    }),

  get: read
    .meta({
      openapi: {
        method: "GET",
        path: "/executions/{id}",
        tags: ["executions"],
        summary: "Get an execution",
        description: "Its status, and its result or error once it has finished.",
        errorResponses: ERRORS.read,
      },
    })
    .input(executionIdInput)
    .output(executionOutput)
    .query(async ({ input }) => {
      const execution = await executionModel.findById(input.id);
      if (!execution) throw new TRPCError({ code: "NOT_FOUND", message: `Execution ${input.id} does not exist.` });
      return execution;
    }),

  /** Counts by status (all time) and this calendar month's (UTC) executions against the plan's limit. */
  stats: read.query(async ({ ctx }) => {
    const [all, thisMonth] = await Promise.all([executionModel.stats(), monthlyExecutionUsage(ctx.tenant)]);
    return { ...all, thisMonth };
  }),
});
