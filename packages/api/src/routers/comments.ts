import {
  executionCommentModel,
  executionModel,
  promptCommentModel,
  promptModel,
  type ExecutionCommentRow,
  type ExecutionRow,
  type PromptCommentRow,
  type PromptRow,
  type UserRow,
} from "@sigil/db";
import {
  commentIdInput,
  createCommentInput,
  createPromptCommentInput,
  listCommentsInput,
  listPromptCommentsInput,
  updateCommentInput,
} from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { router } from "../trpc.ts";

const read = authedProcedure({ role: "viewer", scope: "executions:read" });
const write = authedProcedure({ role: "user", scope: "executions:run" });
// Comments on a prompt go with the prompt's own rights: read with prompts:read, written in a session.
const readPrompt = authedProcedure({ role: "viewer", scope: "prompts:read" });
const writePrompt = authedProcedure({ role: "user" });

async function requireExecution(id: string): Promise<ExecutionRow> {
  const execution = await executionModel.findById(id);
  if (!execution) throw new TRPCError({ code: "NOT_FOUND", message: `Execution ${id} does not exist.` });
  return execution;
}

async function requirePrompt(id: string): Promise<PromptRow> {
  const prompt = await promptModel.findById(id);
  if (!prompt) throw new TRPCError({ code: "NOT_FOUND", message: `Prompt ${id} does not exist.` });
  return prompt;
}

type AnyComment = { on: "execution"; row: ExecutionCommentRow } | { on: "prompt"; row: PromptCommentRow };

/** A comment (on an execution or on a prompt) its author may change; an admin may change anyone's (moderation). */
async function requireOwnComment(id: string, user: Pick<UserRow, "id" | "role">, verb: "edit" | "delete"): Promise<AnyComment> {
  const onExecution = await executionCommentModel.findById(id);
  const onPrompt = onExecution ? null : await promptCommentModel.findById(id);
  const comment: AnyComment | null = onExecution ? { on: "execution", row: onExecution } : onPrompt ? { on: "prompt", row: onPrompt } : null;
  if (!comment) throw new TRPCError({ code: "NOT_FOUND", message: `Comment ${id} does not exist.` });
  if (comment.row.createdBy !== user.id && user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: `Only its author or an admin can ${verb} this comment.` });
  }
  return comment;
}

/** The audit target of a comment: its execution or its prompt. */
function commentTarget(comment: AnyComment): { type: "execution" | "prompt"; id: string } {
  return comment.on === "execution" ? { type: "execution", id: comment.row.executionId } : { type: "prompt", id: comment.row.promptId };
}

/** An anchor must cover exactly the text it quotes, inside the execution's output. */
function checkAnchor(execution: ExecutionRow, anchor: { start: number; end: number; text: string }): void {
  const output = execution.result;
  if (output === null) throw new TRPCError({ code: "BAD_REQUEST", message: "This execution has no output yet; comment on it without selecting text." });
  if (anchor.end > output.length) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `The selection ends at ${anchor.end}, past the end of the output (${output.length} characters).` });
  }
  if (output.slice(anchor.start, anchor.end) !== anchor.text) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The selected text does not match the output at that position; select it again." });
  }
}

/**
 * Comments on an execution's output, plain or anchored to a selected span (hypersigil's execution
 * comments), and on a prompt as a whole (hypersigil's generic comments). Edit and delete take
 * either kind by id.
 */
export const commentsRouter = router({
  /** An execution's comments, oldest first. */
  list: read.input(listCommentsInput).query(async ({ input }) => {
    await requireExecution(input.executionId);
    return executionCommentModel.listForExecution(input.executionId);
  }),

  create: write.input(createCommentInput).mutation(async ({ ctx, input }) => {
    const execution = await requireExecution(input.executionId);
    if (input.anchor) checkAnchor(execution, input.anchor);
    const comment = await executionCommentModel.create({
      executionId: execution.id,
      body: input.body,
      anchorStart: input.anchor?.start ?? null,
      anchorEnd: input.anchor?.end ?? null,
      anchorText: input.anchor?.text ?? null,
      createdBy: ctx.user.id,
    });
    await recordAudit(ctx, "comment.created", { type: "execution", id: execution.id }, { commentId: comment.id, anchored: input.anchor !== undefined });
    return comment;
  }),

  /** A prompt's comments, oldest first, each with the version that was current when it was written. */
  listForPrompt: readPrompt.input(listPromptCommentsInput).query(async ({ input }) => {
    await requirePrompt(input.promptId);
    return promptCommentModel.listForPrompt(input.promptId);
  }),

  createForPrompt: writePrompt.input(createPromptCommentInput).mutation(async ({ ctx, input }) => {
    const prompt = await requirePrompt(input.promptId);
    const comment = await promptCommentModel.create({ promptId: prompt.id, promptVersion: prompt.currentVersion, body: input.body, createdBy: ctx.user.id });
    await recordAudit(ctx, "comment.created", { type: "prompt", id: prompt.id }, { commentId: comment.id, version: prompt.currentVersion });
    return comment;
  }),

  update: write.input(updateCommentInput).mutation(async ({ ctx, input }) => {
    const comment = await requireOwnComment(input.id, ctx.user, "edit");
    const updated =
      comment.on === "execution"
        ? await executionCommentModel.update(comment.row.id, { body: input.body })
        : await promptCommentModel.update(comment.row.id, { body: input.body });
    if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: `Comment ${input.id} does not exist.` });
    await recordAudit(ctx, "comment.updated", commentTarget(comment), { commentId: comment.row.id });
    return updated;
  }),

  delete: write.input(commentIdInput).mutation(async ({ ctx, input }) => {
    const comment = await requireOwnComment(input.id, ctx.user, "delete");
    const deleted = comment.on === "execution" ? await executionCommentModel.delete(comment.row.id) : await promptCommentModel.delete(comment.row.id);
    if (!deleted) throw new TRPCError({ code: "NOT_FOUND", message: `Comment ${input.id} does not exist.` });
    await recordAudit(ctx, "comment.deleted", commentTarget(comment), { commentId: comment.row.id });
    return { id: comment.row.id };
  }),
});
