import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";
import { deployments } from "./deployments.ts";

export const EXECUTION_STATUSES = ["pending", "running", "completed", "failed"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

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
  ],
);
