import { describe, expect, it } from "vitest";
import { readSchemaText, sameSchema, schemaText } from "./response-schema";

describe("response schema text", () => {
  it("reads empty text as no schema, and a schema as itself", () => {
    expect(readSchemaText("  ")).toEqual({ ok: true, schema: null });
    expect(readSchemaText('{"type":"object"}')).toEqual({ ok: true, schema: { type: "object" } });
  });

  it("names the line and column of a JSON error; a schema is an object", () => {
    const broken = readSchemaText('{\n  "type": "object",\n}');
    expect(broken.ok ? "" : broken.error).toMatch(/^Not valid JSON\. Line 3, column 1: /);
    const array = readSchemaText("[1]");
    expect(array.ok ? "" : array.error).toContain("is a JSON object");
  });

  it("compares schemas whatever the whitespace", () => {
    const saved = { type: "object", required: ["a"] };
    expect(sameSchema(schemaText(saved), saved)).toBe(true);
    expect(sameSchema('{"type":"object","required":["a"]}', saved)).toBe(true);
    expect(sameSchema('{"type":"object"}', saved)).toBe(false);
    expect(sameSchema("", null)).toBe(true);
    expect(sameSchema("{", null)).toBe(false);
  });
});
