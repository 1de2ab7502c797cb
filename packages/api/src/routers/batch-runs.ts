import { batchRunModel, GRID_EXCERPT_CHARS } from "@sigil/db";
import { batchResultsInput, batchRunIdInput, compareBatchRunsInput, createBatchRunInput, listBatchRunsInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { ERRORS } from "../rest/errors.ts";
import { batchResultsOutput, batchRunOutput, batchRunWithProgressOutput } from "../rest/dataset-outputs.ts";
import { pageOutput } from "../rest/outputs.ts";
import { recordAudit } from "../services/audit.ts";
import { buildGrid, compareRuns } from "../services/batch-grid.ts";
import { createBatchRun, requireRun, runWithProgress } from "../services/batch-runs.ts";
import { monthlyLimitsOf } from "../services/executions.ts";
import { router } from "../trpc.ts";

const run = authedProcedure({ role: "user", scope: "executions:run" });
const read = authedProcedure({ role: "viewer", scope: "executions:read" });

/** Compared outputs are read this far: a difference after it still shows (their lengths differ) but is not displayed. */
const COMPARE_CHARS = 4_000;

export const batchRunsRouter = router({
  /**
   * Runs a prompt over every item of a dataset, once per target (versions, or one version on
   * several provider:model pairs). Refused whole, with the numbers, when the month's executions
   * would pass the plan's limit.
   */
  create: run
    .meta({
      openapi: {
        method: "POST",
        path: "/batch-runs",
        tags: ["batch-runs"],
        summary: "Start a batch run",
        description:
          "One pending execution per dataset item and target; the worker runs them. All of them count against the monthly executions of the plan, or none (403 with the numbers).",
        errorResponses: ERRORS.write,
      },
    })
    .input(createBatchRunInput)
    .output(batchRunOutput)
    .mutation(async ({ ctx, input }) => {
      const created = await createBatchRun(ctx, input);
      await recordAudit(
        ctx,
        "batch_run.created",
        { type: "batch_run", id: created.id },
        { promptId: created.promptId, datasetId: created.datasetId, executions: created.total },
      );
      return created;
    }),

  list: read
    .meta({
      openapi: {
        method: "GET",
        path: "/batch-runs",
        tags: ["batch-runs"],
        summary: "List batch runs",
        description: "Newest first; filter by prompt or dataset.",
        errorResponses: ERRORS.read,
      },
    })
    .input(listBatchRunsInput.prefault({}))
    .output(pageOutput(batchRunOutput, "BatchRunPage"))
    .query(({ input }) => batchRunModel.listPage(input)),

  /** The run and how many of its cells are in each status (n of N). */
  get: read
    .meta({
      openapi: {
        method: "GET",
        path: "/batch-runs/{id}",
        tags: ["batch-runs"],
        summary: "Get a batch run",
        description: "The run and its progress: cells by status.",
        errorResponses: ERRORS.read,
      },
    })
    .input(batchRunIdInput)
    .output(batchRunWithProgressOutput)
    .query(async ({ input }) => runWithProgress(await requireRun(input.id))),

  /** Pending executions of the run are cancelled, and the run with them; running ones finish. */
  cancel: run
    .meta({
      openapi: {
        method: "POST",
        path: "/batch-runs/{id}/cancel",
        tags: ["batch-runs"],
        summary: "Cancel a batch run",
        description: "Its pending executions are cancelled; running ones finish.",
        errorResponses: ERRORS.write,
      },
    })
    .input(batchRunIdInput)
    .output(batchRunWithProgressOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await batchRunModel.cancel(input.id);
      if (!result) throw new TRPCError({ code: "NOT_FOUND", message: `Batch run ${input.id} does not exist.` });
      if (result.cancelled > 0) await recordAudit(ctx, "batch_run.cancelled", { type: "batch_run", id: input.id }, { cancelled: result.cancelled });
      return runWithProgress(result.run);
    }),

  /** Every failed cell gets a new pending execution; they count against the monthly quota (all or none). */
  retryFailed: run.input(batchRunIdInput).mutation(async ({ ctx, input }) => {
    const result = await batchRunModel.retryFailed(input.id, monthlyLimitsOf(ctx.tenant));
    if (!result) throw new TRPCError({ code: "NOT_FOUND", message: `Batch run ${input.id} does not exist.` });
    if (result.retried === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "No cell of this run failed; nothing to retry." });
    await recordAudit(ctx, "batch_run.retried", { type: "batch_run", id: input.id }, { retried: result.retried });
    return { ...(await runWithProgress(result.run)), retried: result.retried };
  }),

  /** The grid: rows = items in position order, columns = targets, with totals per column. */
  results: read
    .meta({
      openapi: {
        method: "GET",
        path: "/batch-runs/{id}/results",
        tags: ["batch-runs"],
        summary: "A batch run's results",
        description:
          "Rows are the dataset's items in position order, columns the targets; each cell the latest execution's status, output excerpt, latency, tokens, cost and validity, with totals per column.",
        errorResponses: ERRORS.read,
      },
    })
    .input(batchResultsInput)
    .output(batchResultsOutput)
    .query(async ({ input }) => {
      const found = await requireRun(input.id);
      return buildGrid(found, await batchRunModel.cells(found.id, GRID_EXCERPT_CHARS), input.page, input.pageSize);
    }),

  /** Two runs over the same dataset (or two columns of one run), item by item, with which changed. */
  compare: read.input(compareBatchRunsInput).query(async ({ input }) => {
    const left = await requireRun(input.leftId);
    const right = await requireRun(input.rightId);
    if (left.datasetId === null || left.datasetId !== right.datasetId) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `These runs went over different datasets ("${left.datasetName}" and "${right.datasetName}"${left.datasetId === null ? ", or the dataset was deleted" : ""}); compare runs of the same dataset.`,
      });
    }
    for (const [side, found, target] of [
      ["left", left, input.leftTarget],
      ["right", right, input.rightTarget],
    ] as const) {
      if (target >= found.targets.length) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The ${side} run has ${found.targets.length} column${found.targets.length > 1 ? "s" : ""}; column ${target + 1} does not exist.`,
        });
      }
    }
    return compareRuns(
      { run: left, cells: await batchRunModel.cells(left.id, COMPARE_CHARS), target: input.leftTarget },
      { run: right, cells: await batchRunModel.cells(right.id, COMPARE_CHARS), target: input.rightTarget },
      input,
    );
  }),
});
