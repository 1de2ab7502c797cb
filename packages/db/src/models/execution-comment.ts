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
    return this.withDatabase("executionComments.listForExecution", (db) =>
      db
        .select()
        .from(executionComments)
        .where(eq(executionComments.executionId, executionId))
        .orderBy(asc(executionComments.createdAt), asc(executionComments.id))
        .all(),
    );
  }
}

export const executionCommentModel = new ExecutionCommentModel();
