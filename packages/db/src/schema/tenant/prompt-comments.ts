import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";

/**
 * A comment on a prompt as a whole (hypersigil's "generic" comments): review notes that belong to no
 * single output. `prompt_version` is the version that was current when it was written (null for
 * comments imported without one), so a note about v3 still reads right at v7.
 */
export const promptComments = sqliteTable(
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
