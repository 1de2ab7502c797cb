import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { BATCH_RUN_STATUSES, type BatchTarget } from "../../tenant/batch-runs.ts";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { datasets } from "./datasets.ts";
import { prompts } from "./prompts.ts";

/** A prompt run over every item of a dataset; mirrors ../../tenant/batch-runs.ts. */
export const batchRuns = pgTable(
  "batch_runs",
  {
    id: idColumn(),
    name: text("name").notNull().default(""),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    datasetId: text("dataset_id").references(() => datasets.id, { onDelete: "set null" }),
    datasetName: text("dataset_name").notNull(),
    targets: jsonColumn<BatchTarget[]>("targets").notNull(),
    status: text("status", { enum: BATCH_RUN_STATUSES }).notNull().default("running"),
    total: integer("total").notNull(),
    createdBy: text("created_by"),
    completedAt: timestampColumn("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("batch_runs_created_idx").on(t.createdAt), index("batch_runs_prompt_idx").on(t.promptId, t.createdAt)],
);
