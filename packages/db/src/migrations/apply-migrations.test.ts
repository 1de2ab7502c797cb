import { describe, expect, it } from "vitest";
import { mayBreakForeignKeys } from "./apply-migrations.ts";

describe("mayBreakForeignKeys: when applyMigrations must run foreign_key_check", () => {
  it.each([
    "CREATE TABLE `tags` (`id` text PRIMARY KEY NOT NULL, `prompt_id` text REFERENCES `prompts`(`id`))",
    "CREATE UNIQUE INDEX `tags_name` ON `tags` (`name`)",
    "create index tags_prompt on tags(prompt_id)",
    "DROP INDEX `tags_name`",
    "CREATE TRIGGER tags_touch AFTER INSERT ON tags BEGIN SELECT 1; END",
    "ALTER TABLE `prompts` ADD `note` text;",
    "ALTER TABLE prompts ADD COLUMN flag integer DEFAULT 0 NOT NULL",
    "-- a comment first\nCREATE INDEX a ON b (c)",
    "/* block */ CREATE VIEW v AS SELECT 1",
  ])("no check after %j", (statement) => {
    expect(mayBreakForeignKeys(statement)).toBe(false);
  });

  it.each([
    "INSERT INTO executions (id, prompt_id) VALUES ('e', 'nowhere')",
    "UPDATE executions SET prompt_id = 'x'",
    "DELETE FROM prompts",
    "DROP TABLE `prompts`",
    "ALTER TABLE `__new_prompts` RENAME TO `prompts`",
    "PRAGMA foreign_keys=OFF",
    "ALTER TABLE `prompts` ADD `owner` text DEFAULT 'x' REFERENCES `prompts`(`id`)",
    "-- looks harmless\nINSERT INTO a SELECT * FROM b",
    "WITH x AS (SELECT 1) INSERT INTO a SELECT * FROM x",
  ])("a check after %j", (statement) => {
    expect(mayBreakForeignKeys(statement)).toBe(true);
  });
});
