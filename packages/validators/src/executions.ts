import { z } from "zod";
import { id, pagination, variables } from "./common.ts";

export const EXECUTION_STATUSES = ["pending", "running", "completed", "failed"] as const;
export const executionStatus = z.enum(EXECUTION_STATUSES);

export const createExecutionInput = z.union([
  z.object({
    promptId: id,
    version: z.int().min(1).optional(),
    input: variables,
    provider: z.string().trim().min(1).max(50).default("template"),
    model: z.string().trim().min(1).max(200).optional(),
    fileIds: z.array(id).max(20).default([]),
  }),
  z.object({ deploymentId: id, input: variables, fileIds: z.array(id).max(20).default([]) }),
]);
export const listExecutionsInput = pagination.extend({
  status: executionStatus.optional(),
  promptId: id.optional(),
  deploymentId: id.optional(),
});
export const executionIdInput = z.object({ id });
