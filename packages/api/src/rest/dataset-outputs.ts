import { EXECUTION_STATUSES } from "@sigil/validators";
import { z } from "zod";
import { jsonObject, timestamp, userId } from "./outputs.ts";

/** The REST answers of the datasets and batch-runs routers (see outputs.ts for the conventions). */

export const datasetOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    createdBy: userId,
    updatedBy: userId,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Dataset" });

export const datasetWithCountOutput = datasetOutput.extend({ itemCount: z.int() }).meta({ id: "DatasetWithCount" });

export const datasetItemOutput = z
  .object({
    id: z.string(),
    datasetId: z.string(),
    position: z.int().meta({ description: "The item's place in the dataset (0-based, gaps allowed)." }),
    variables: jsonObject.meta({ description: "The template variables of this item." }),
    expectedOutput: z.string().nullable(),
    tags: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "DatasetItem" });

export const exportOutput = z
  .object({
    fileName: z.string(),
    mimeType: z.string(),
    content: z.string().meta({ description: "The dataset as CSV, JSON or JSONL text." }),
    items: z.int(),
  })
  .meta({ id: "DatasetExport" });

const batchTarget = z.object({ version: z.int(), provider: z.string(), model: z.string(), options: jsonObject });

export const batchRunOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    promptId: z.string(),
    datasetId: z.string().nullable().meta({ description: "Null once the dataset was deleted; the run keeps its results." }),
    datasetName: z.string(),
    targets: z.array(batchTarget),
    status: z.enum(["running", "completed", "cancelled"]),
    total: z.int().meta({ description: "Cells of the grid: items × targets." }),
    createdBy: userId,
    completedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "BatchRun" });

const statusCounts = z.object(
  Object.fromEntries(EXECUTION_STATUSES.map((status) => [status, z.int()])) as Record<(typeof EXECUTION_STATUSES)[number], z.ZodInt>,
);

export const batchRunWithProgressOutput = batchRunOutput
  .extend({
    progress: z.object({
      byStatus: statusCounts,
      done: z.int().meta({ description: "Cells whose latest execution ended (completed, failed or cancelled)." }),
      total: z.int(),
    }),
  })
  .meta({ id: "BatchRunWithProgress" });

const cell = z.object({
  executionId: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  excerpt: z.string().nullable().meta({ description: "The first 400 characters of the result, or of the error." }),
  truncated: z.boolean(),
  latencyMs: z.int().nullable(),
  inputTokens: z.int().nullable(),
  outputTokens: z.int().nullable(),
  costUsd: z.number().nullable(),
  valid: z.boolean().nullable(),
  attempts: z.int(),
});

export const batchResultsOutput = z
  .object({
    run: batchRunOutput,
    columns: z.array(
      batchTarget.extend({
        index: z.int(),
        totals: z.object({
          inputTokens: z.int(),
          outputTokens: z.int(),
          costUsd: z.number(),
          meanLatencyMs: z.number().nullable(),
          completed: z.int(),
          failed: z.int(),
          cancelled: z.int(),
          pending: z.int(),
        }),
      }),
    ),
    rows: z.array(
      z.object({
        datasetItemId: z.string().nullable(),
        position: z.int().nullable(),
        variables: jsonObject,
        cells: z.array(cell.nullable()),
      }),
    ),
    totalRows: z.int(),
    page: z.int(),
    pageSize: z.int(),
    totalPages: z.int(),
  })
  .meta({ id: "BatchResults" });

export type BatchCellOutput = z.infer<typeof cell>;
