import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";
import { datasets } from "./datasets.ts";

/** One column of a batch run's grid: a prompt version on a provider:model with its options. */
export interface BatchTarget {
  version: number;
  provider: string;
  model: string;
  options: Record<string, unknown>;
}

export const BATCH_RUN_STATUSES = ["running", "completed", "cancelled"] as const;
export type BatchRunStatus = (typeof BATCH_RUN_STATUSES)[number];

/**
 * A prompt run over every item of a dataset, once per target: its executions carry
 * `batch_run_id`, `dataset_item_id` and `target_index` (the grid's row and column).
 */
export const batchRuns = sqliteTable(
  "batch_runs",
  {
    id: idColumn(),
    name: text("name").notNull().default(""),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    /** Null once the dataset is deleted; the run and its results stay. */
    datasetId: text("dataset_id").references(() => datasets.id, { onDelete: "set null" }),
    /** The dataset's name when the run started (kept after the dataset is renamed or deleted). */
    datasetName: text("dataset_name").notNull(),
    targets: jsonColumn<BatchTarget[]>("targets").notNull(),
    status: text("status", { enum: BATCH_RUN_STATUSES }).notNull().default("running"),
    /** Executions the run created (items × targets). */
    total: integer("total").notNull(),
    createdBy: text("created_by"),
    completedAt: timestampColumn("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("batch_runs_created_idx").on(t.createdAt), index("batch_runs_prompt_idx").on(t.promptId, t.createdAt)],
);
