import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, updatedAt } from "../columns.ts";
import { executions } from "./executions.ts";

/**
 * A comment on an execution's output, optionally anchored to a span of it: `[anchor_start,
 * anchor_end)` in UTF-16 code units of the result, with the quoted text kept so the anchor still
 * reads right if the span cannot be found again.
 */
export const executionComments = sqliteTable(
  "execution_comments",
  {
    id: idColumn(),
    executionId: text("execution_id")
      .notNull()
      .references(() => executions.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
    anchorStart: integer("anchor_start"),
    anchorEnd: integer("anchor_end"),
    anchorText: text("anchor_text"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("execution_comments_execution_idx").on(t.executionId, t.createdAt)],
);
