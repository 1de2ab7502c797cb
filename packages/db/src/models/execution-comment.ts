import { asc, eq } from "drizzle-orm";
import { executionComments } from "../schema/tenant/execution-comments.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

export type ExecutionCommentRow = RowOf<typeof executionComments>;

/** Comments on an execution's output (schema/tenant/execution-comments.ts); deleted with their execution. */
export class ExecutionCommentModel extends IsolatedModel<typeof executionComments> {
  constructor() {
    super(executionComments);
  }

  /** An execution's comments, oldest first (a conversation reads top to bottom). */
  async listForExecution(executionId: string): Promise<ExecutionCommentRow[]> {
    return this.session("executionComments.listForExecution", "read", ({ db, t }) =>
      db
        .select()
        .from(t.executionComments)
        .where(eq(t.executionComments.executionId, executionId))
        .orderBy(asc(t.executionComments.createdAt), asc(t.executionComments.id)),
    );
  }
}

export const executionCommentModel = new ExecutionCommentModel();
