import { z } from "zod";
import { id, pagination } from "./common.ts";

/** Columns of one run's grid: versions, or provider:model pairs. */
export const MAX_BATCH_TARGETS = 6;
export const MAX_BATCH_RUN_NAME_LENGTH = 200;

export const batchTargetInput = z.object({
  version: z.int().min(1, "A version is 1 or more."),
  provider: z.string().trim().min(1, "Choose a provider.").max(50).default("template"),
  model: z.string().trim().min(1).max(200).optional(),
  options: z.record(z.string().max(100), z.unknown()).default({}),
});

export const createBatchRunInput = z
  .object({
    promptId: id,
    datasetId: id,
    name: z.string().trim().max(MAX_BATCH_RUN_NAME_LENGTH, `A name is at most ${MAX_BATCH_RUN_NAME_LENGTH} characters.`).default(""),
    targets: z
      .array(batchTargetInput)
      .min(1, "Choose at least one version or provider:model to run.")
      .max(MAX_BATCH_TARGETS, `A run has at most ${MAX_BATCH_TARGETS} targets (grid columns).`),
  })
  .meta({ examples: [{ promptId: "<promptId>", datasetId: "<datasetId>", targets: [{ version: 1 }, { version: 2 }] }] });

export const batchRunIdInput = z.object({ id });
export const listBatchRunsInput = pagination.extend({ promptId: id.optional(), datasetId: id.optional() });
export const batchResultsInput = z.object({
  id,
  page: z.int().min(1).default(1),
  pageSize: z.int().min(1).max(200).default(100),
});
export const compareBatchRunsInput = z.object({
  leftId: id,
  rightId: id,
  /** Which column of each run to compare (0: the first target). */
  leftTarget: z
    .int()
    .min(0)
    .max(MAX_BATCH_TARGETS - 1)
    .default(0),
  rightTarget: z
    .int()
    .min(0)
    .max(MAX_BATCH_TARGETS - 1)
    .default(0),
  changedOnly: z.boolean().default(false),
  page: z.int().min(1).default(1),
  pageSize: z.int().min(1).max(200).default(100),
});
