import { deploymentModel, executionModel } from "@sigil/db";
import { createExecutionInput, executionIdInput, listExecutionsInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { assertFeatureEnabled } from "../features.ts";
import { authedProcedure } from "../procedures.ts";
import { createExecution, TEMPLATE_PROVIDER } from "../services/executions.ts";
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

  /** Newest first; filter by status, prompt or deployment. */
  list: read
    .meta({
      openapi: {
        method: "GET",
        path: "/executions",
        tags: ["executions"],
        summary: "List executions",
        description: "Newest first; filter by status, prompt or deployment.",
        errorResponses: ERRORS.read,
      },
    })
    .input(listExecutionsInput.prefault({}))
    .output(pageOutput(executionOutput, "ExecutionPage"))
    .query(({ ctx, input }) => {
      if (input.deploymentId !== undefined) assertFeatureEnabled(ctx.tenant, "deployments");
      return executionModel.findWithPagination({
        where: {
          ...(input.status !== undefined ? { status: input.status } : {}),
          ...(input.promptId !== undefined ? { promptId: input.promptId } : {}),
          ...(input.deploymentId !== undefined ? { deploymentId: input.deploymentId } : {}),
        },
        orderBy: { column: "createdAt", direction: "desc" },
        page: input.page,
        pageSize: input.pageSize,
      });
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
