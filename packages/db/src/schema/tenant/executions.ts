import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";
import { deployments } from "./deployments.ts";
import { batchRuns } from "./batch-runs.ts";
import { datasetItems } from "./datasets.ts";

export const EXECUTION_STATUSES = ["pending", "running", "completed", "failed", "cancelled"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** How a person triaged an execution's output. */
export const REVIEW_STATUSES = ["new", "reviewed", "needs_work"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Why a result does not follow the version's response schema (Ajv's errors, trimmed). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Template variables given to an execution: free-form by nature. */
export type ExecutionInput = Record<string, unknown>;

export const executions = sqliteTable(
  "executions",
  {
    id: idColumn(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    promptVersion: integer("prompt_version").notNull(),
    deploymentId: text("deployment_id").references(() => deployments.id, { onDelete: "set null" }),
    input: jsonColumn<ExecutionInput>("input").notNull(),
    /** Provider options (temperature, max tokens, …) fixed when the execution was created. */
    options: jsonColumn<Record<string, unknown>>("options").notNull().default({}),
    fileIds: jsonColumn<string[]>("file_ids").notNull().default([]),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull().default("pending"),
    result: text("result"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    /** The worker process that claimed the running execution (ExecutionWorker.id). */
    claimedBy: text("claimed_by"),
    /** The claim holds until then; the worker renews it while it runs (heartbeat). */
    leaseExpiresAt: timestampColumn("lease_expires_at"),
    /** Reported by the provider's usage block; null when it reported none. */
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    /** US dollars, from the price table when the execution finished; null when no price is known. */
    costUsd: real("cost_usd"),
    /** How long the provider took, retries included. */
    latencyMs: integer("latency_ms"),
    /** Whether the result follows the version's response schema; null when the version has none. */
    valid: integer("valid", { mode: "boolean" }),
    validationErrors: jsonColumn<ValidationIssue[]>("validation_errors"),
    starred: integer("starred", { mode: "boolean" }).notNull().default(false),
    reviewStatus: text("review_status", { enum: REVIEW_STATUSES }).notNull().default("new"),
    /** Set when the execution belongs to a batch run: the run, its dataset item and its target (grid column). */
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
