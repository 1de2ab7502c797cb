import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";

/** A JSON Schema an execution's response (or its input variables) must follow: free-form by nature. */
export type JsonSchema = Record<string, unknown>;

export const prompts = sqliteTable(
  "prompts",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    template: text("template").notNull(),
    responseSchema: jsonColumn<JsonSchema>("response_schema"),
    /** The variables an execution of this prompt must be given, checked before anything runs. */
    inputSchema: jsonColumn<JsonSchema>("input_schema"),
    acceptsFiles: integer("accepts_files", { mode: "boolean" }).notNull().default(false),
    currentVersion: integer("current_version").notNull().default(1),
    createdBy: text("created_by"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("prompts_name_unique").on(t.name), index("prompts_updated_idx").on(t.updatedAt)],
);

/** Every content change of a prompt, written in the same transaction as the change. */
export const promptVersions = sqliteTable(
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
    /** The variables an execution of this prompt must be given, checked before anything runs. */
    inputSchema: jsonColumn<JsonSchema>("input_schema"),
    acceptsFiles: integer("accepts_files", { mode: "boolean" }).notNull().default(false),
    createdBy: text("created_by"),
    /** Why this version exists: "create", "update" or "restore of vN". */
    changeNote: text("change_note").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("prompt_versions_prompt_version_unique").on(t.promptId, t.version)],
);
