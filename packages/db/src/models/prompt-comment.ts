import { asc, eq } from "drizzle-orm";
import { promptComments } from "../schema/tenant/prompt-comments.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

export type PromptCommentRow = RowOf<typeof promptComments>;

/** Comments on a prompt as a whole (schema/tenant/prompt-comments.ts); deleted with their prompt. */
export class PromptCommentModel extends IsolatedModel<typeof promptComments> {
  constructor() {
    super(promptComments);
  }

  /** A prompt's comments, oldest first (a conversation reads top to bottom). */
  async listForPrompt(promptId: string): Promise<PromptCommentRow[]> {
    return this.session("promptComments.listForPrompt", "read", ({ db, t }) =>
      db.select().from(t.promptComments).where(eq(t.promptComments.promptId, promptId)).orderBy(asc(t.promptComments.createdAt), asc(t.promptComments.id)),
    );
  }
}

export const promptCommentModel = new PromptCommentModel();
