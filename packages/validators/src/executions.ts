import { z } from "zod";
import { id, pagination, variables } from "./common.ts";

export const EXECUTION_STATUSES = ["pending", "running", "completed", "failed", "cancelled"] as const;
export const executionStatus = z.enum(EXECUTION_STATUSES);
export const REVIEW_STATUSES = ["new", "reviewed", "needs_work"] as const;
export const reviewStatus = z.enum(REVIEW_STATUSES);

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
/**
 * A day (`2026-12-05`, UTC) or an instant (`2026-12-05T10:00:00Z`). One string schema, not a union:
 * the REST API takes these as query parameters, which must be plain strings.
 */
const dateBound = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, "Use a date like 2026-12-05 or a date-time like 2026-12-05T10:00:00Z.")
  .refine((value) => !Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)), "This date does not exist.");

/**
 * The executions list's filters, shared by the list and the CSV export. `starred` is "true" or
 * "false" (a string, as a query string sends it: a boolean query parameter would be coerced, and
 * "false" would read as true). `from` and `to` are both included; a day in `to` means all of it.
 */
export const executionFilters = z.object({
  status: executionStatus.optional(),
  promptId: id.optional(),
  deploymentId: id.optional(),
  starred: z.enum(["true", "false"]).optional(),
  reviewStatus: reviewStatus.optional(),
  from: dateBound.optional(),
  to: dateBound.optional(),
});
export const listExecutionsInput = pagination.extend(executionFilters.shape);
export const executionIdInput = z.object({ id });
/** Most executions one page of the CSV export reads. */
export const MAX_EXPORT_PAGE = 1_000;
/** One page of the CSV export: the list's filters, after the last execution of the previous page (newest first). */
export const exportExecutionsPageInput = executionFilters.extend({
  after: z.object({ createdAt: z.date(), id }).optional(),
  limit: z.int().min(1).max(MAX_EXPORT_PAGE).default(MAX_EXPORT_PAGE),
});
export const setExecutionReviewInput = z
  .object({ id, starred: z.boolean().optional(), reviewStatus: reviewStatus.optional() })
  .refine((value) => value.starred !== undefined || value.reviewStatus !== undefined, "Give starred, reviewStatus or both.");

export const MAX_COMMENT_LENGTH = 5_000;
const commentBody = z.string().trim().min(1, "A comment cannot be empty.").max(MAX_COMMENT_LENGTH, `A comment is at most ${MAX_COMMENT_LENGTH} characters.`);
/** A span of the output a comment is about: `[start, end)` in UTF-16 code units, and the text it covers. */
export const commentAnchor = z
  .object({ start: z.int().min(0), end: z.int().min(1), text: z.string().min(1).max(10_000) })
  .refine((anchor) => anchor.end > anchor.start, { message: "The anchor must end after it starts.", path: ["end"] });
export const listCommentsInput = z.object({ executionId: id });
export const createCommentInput = z.object({ executionId: id, body: commentBody, anchor: commentAnchor.optional() });
export const listPromptCommentsInput = z.object({ promptId: id });
export const createPromptCommentInput = z.object({ promptId: id, body: commentBody });
export const updateCommentInput = z.object({ id, body: commentBody });
export const commentIdInput = z.object({ id });
