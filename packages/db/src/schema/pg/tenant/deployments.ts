import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { DeploymentOptions } from "../../tenant/deployments.ts";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";

/** Named, pinned ways to run a prompt; mirrors ../../tenant/deployments.ts. */
export const deployments = pgTable(
  "deployments",
  {
    id: idColumn(),
    name: text("name").notNull(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    promptVersion: integer("prompt_version"),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    options: jsonColumn<DeploymentOptions>("options").notNull().default({}),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("deployments_name_unique").on(t.name), index("deployments_prompt_idx").on(t.promptId)],
);
