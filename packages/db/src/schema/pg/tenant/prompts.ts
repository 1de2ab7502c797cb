import { boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { JsonSchema } from "../../tenant/prompts.ts";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";

/** Prompts and their versions; mirrors ../../tenant/prompts.ts. */
export const prompts = pgTable(
  "prompts",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    template: text("template").notNull(),
    responseSchema: jsonColumn<JsonSchema>("response_schema"),
    inputSchema: jsonColumn<JsonSchema>("input_schema"),
    acceptsFiles: boolean("accepts_files").notNull().default(false),
    currentVersion: integer("current_version").notNull().default(1),
    createdBy: text("created_by"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("prompts_name_unique").on(t.name), index("prompts_updated_idx").on(t.updatedAt)],
);

export const promptVersions = pgTable(
  "prompt_versions",
  {
    id: idColumn(),
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    template: text("template").notNull(),
    responseSchema: jsonColumn<JsonSchema>("response_schema"),
    inputSchema: jsonColumn<JsonSchema>("input_schema"),
    acceptsFiles: boolean("accepts_files").notNull().default(false),
    createdBy: text("created_by"),
    changeNote: text("change_note").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("prompt_versions_prompt_version_unique").on(t.promptId, t.version)],
);
