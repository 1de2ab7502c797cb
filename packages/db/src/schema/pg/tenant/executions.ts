import { boolean, doublePrecision, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { EXECUTION_STATUSES, REVIEW_STATUSES, type ExecutionInput, type ValidationIssue } from "../../tenant/executions.ts";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { batchRuns } from "./batch-runs.ts";
import { datasetItems } from "./datasets.ts";
import { deployments } from "./deployments.ts";
import { prompts } from "./prompts.ts";

/** Executions of prompts; mirrors ../../tenant/executions.ts. */
export const executions = pgTable(
  "executions",
  {
    id: idColumn(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    promptVersion: integer("prompt_version").notNull(),
    deploymentId: text("deployment_id").references(() => deployments.id, { onDelete: "set null" }),
    input: jsonColumn<ExecutionInput>("input").notNull(),
    options: jsonColumn<Record<string, unknown>>("options").notNull().default({}),
    fileIds: jsonColumn<string[]>("file_ids").notNull().default([]),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull().default("pending"),
    result: text("result"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    claimedBy: text("claimed_by"),
    leaseExpiresAt: timestampColumn("lease_expires_at"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: doublePrecision("cost_usd"),
    latencyMs: integer("latency_ms"),
    valid: boolean("valid"),
    validationErrors: jsonColumn<ValidationIssue[]>("validation_errors"),
    starred: boolean("starred").notNull().default(false),
    reviewStatus: text("review_status", { enum: REVIEW_STATUSES }).notNull().default("new"),
    batchRunId: text("batch_run_id").references(() => batchRuns.id, { onDelete: "cascade" }),
    datasetItemId: text("dataset_item_id").references(() => datasetItems.id, { onDelete: "set null" }),
    targetIndex: integer("target_index"),
    createdBy: text("created_by"),
    startedAt: timestampColumn("started_at"),
    completedAt: timestampColumn("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("executions_status_created_idx").on(t.status, t.createdAt),
    index("executions_prompt_idx").on(t.promptId, t.createdAt),
    index("executions_created_idx").on(t.createdAt),
    index("executions_lease_idx").on(t.status, t.leaseExpiresAt),
    index("executions_batch_idx").on(t.batchRunId, t.targetIndex),
  ],
);
