import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";
import { prompts } from "./prompts.ts";

/** Provider options (temperature, max tokens, …): free-form, validated per provider. */
export type DeploymentOptions = Record<string, unknown>;

export const deployments = sqliteTable(
  "deployments",
  {
    id: idColumn(),
    name: text("name").notNull(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    /** A pinned prompt version; null follows the prompt's current version. */
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
