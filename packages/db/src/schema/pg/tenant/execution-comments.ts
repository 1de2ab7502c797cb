import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, updatedAt } from "../columns.ts";
import { executions } from "./executions.ts";

/** Comments on an execution's output; mirrors ../../tenant/execution-comments.ts. */
export const executionComments = pgTable(
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
