import { executions, files, prompts, promptVersions } from "@sigil/db";
import { getTableColumns } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { executionOutput, fileContentOutput, fileMetadataOutput, promptOutput, promptVersionOutput } from "./outputs.ts";

/**
 * tRPC answers with what an output schema lets through: a column missing from its schema would
 * silently vanish from every answer. So each schema names exactly the columns of its table.
 */
const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape).sort();
const columns = (table: Parameters<typeof getTableColumns>[0], without: string[] = []) =>
  Object.keys(getTableColumns(table))
    .filter((name) => !without.includes(name))
    .sort();

describe("REST output schemas cover every column", () => {
  test.each([
    ["prompts", promptOutput, columns(prompts)],
    ["prompt versions", promptVersionOutput, columns(promptVersions)],
    ["executions", executionOutput, columns(executions)],
    ["file metadata (without the bytes)", fileMetadataOutput, columns(files, ["content"])],
  ])("%s", (_name, schema, expected) => {
    expect(keys(schema)).toEqual(expected);
  });

  test("a download carries the metadata a client needs and the bytes in base64", () => {
    expect(keys(fileContentOutput)).toEqual(["contentBase64", "id", "mimeType", "name", "sha256", "size"]);
  });
});
