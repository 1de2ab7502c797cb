import { z } from "zod";
import { id, pagination, variables } from "./common.ts";

export const EXECUTION_STATUSES = ["pending", "running", "completed", "failed", "cancelled"] as const;
export const executionStatus = z.enum(EXECUTION_STATUSES);
export const REVIEW_STATUSES = ["new", "reviewed", "needs_work"] as const;

/**
 * An execution of a prompt version (`promptId`, optionally `version`, `provider`, `model`) or of a
 * deployment (`deploymentId`): exactly one of the two. One object rather than a union, so the REST
 * API can describe it as one request body (packages/api/src/rest/openapi.ts).
 */
export const createExecutionInput = z
  .object({
    promptId: id.optional(),
    deploymentId: id.optional(),
    version: z.int().min(1).optional(),
    input: variables,
    provider: z.string().trim().min(1).max(50).optional(),
    model: z.string().trim().min(1).max(200).optional(),
    fileIds: z.array(id).max(20).default([]),
    /** Per-run provider options under the provider's own names (validators/src/providers.ts), over a deployment's. */
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.promptId === undefined) === (value.deploymentId === undefined)) {
      ctx.addIssue({ code: "custom", message: "Give either promptId or deploymentId, not both and not neither." });
    }
    if (value.deploymentId !== undefined) {
      for (const field of ["version", "provider", "model"] as const) {
        if (value[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `A deployment decides the ${field}; leave it out.` });
      }
    }
  })
  .meta({ examples: [{ promptId: "<promptId>", input: { name: "Ada" } }] });
export const listExecutionsInput = pagination.extend({
  status: executionStatus.optional(),
  promptId: id.optional(),
  deploymentId: id.optional(),
});
export const executionIdInput = z.object({ id });
