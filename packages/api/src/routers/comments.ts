import { executionCommentModel, executionModel, type ExecutionCommentRow, type ExecutionRow, type UserRow } from "@sigil/db";
import { commentIdInput, createCommentInput, listCommentsInput, updateCommentInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { router } from "../trpc.ts";

const read = authedProcedure({ role: "viewer", scope: "executions:read" });
const write = authedProcedure({ role: "user", scope: "executions:run" });

async function requireExecution(id: string): Promise<ExecutionRow> {
  const execution = await executionModel.findById(id);
  if (!execution) throw new TRPCError({ code: "NOT_FOUND", message: `Execution ${id} does not exist.` });
  return execution;
}

/** A comment its author may change; an admin may change anyone's (moderation). */
async function requireOwnComment(id: string, user: Pick<UserRow, "id" | "role">, verb: "edit" | "delete"): Promise<ExecutionCommentRow> {
  const comment = await executionCommentModel.findById(id);
  if (!comment) throw new TRPCError({ code: "NOT_FOUND", message: `Comment ${id} does not exist.` });
  if (comment.createdBy !== user.id && user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: `Only its author or an admin can ${verb} this comment.` });
  }
  return comment;
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

/** Comments on an execution's output, plain or anchored to a selected span (hypersigil's execution comments). */
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

  update: write.input(updateCommentInput).mutation(async ({ ctx, input }) => {
    const comment = await requireOwnComment(input.id, ctx.user, "edit");
    const updated = await executionCommentModel.update(comment.id, { body: input.body });
    if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: `Comment ${input.id} does not exist.` });
    await recordAudit(ctx, "comment.updated", { type: "execution", id: comment.executionId }, { commentId: comment.id });
    return updated;
  }),

  delete: write.input(commentIdInput).mutation(async ({ ctx, input }) => {
    const comment = await requireOwnComment(input.id, ctx.user, "delete");
    if (!(await executionCommentModel.delete(comment.id))) throw new TRPCError({ code: "NOT_FOUND", message: `Comment ${input.id} does not exist.` });
    await recordAudit(ctx, "comment.deleted", { type: "execution", id: comment.executionId }, { commentId: comment.id });
    return { id: comment.id };
  }),
});
