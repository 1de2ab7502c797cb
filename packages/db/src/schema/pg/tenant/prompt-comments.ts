import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";

/** Comments on a prompt as a whole; mirrors ../../tenant/prompt-comments.ts. */
export const promptComments = pgTable(
  "prompt_comments",
  {
    id: idColumn(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    promptVersion: integer("prompt_version"),
    body: text("body").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("prompt_comments_prompt_idx").on(t.promptId, t.createdAt)],
);
