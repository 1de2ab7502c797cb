import { describe, expect, it } from "vitest";
import { checkJsonSchema, compileJsonSchema, describeSchemaProblem, parseJsonOutput, validateJsonOutput } from "./json-schema.ts";
import { parseJsonText, schemaFromExample } from "./json-text.ts";

function validator(schema: unknown) {
  const compiled = compileJsonSchema(schema);
  if (!compiled.validate) throw new Error(describeSchemaProblem(compiled.problem));
  return compiled.validate;
}

const person = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
  required: ["name"],
  additionalProperties: false,
};

describe("checkJsonSchema", () => {
  it("accepts draft-07 (the default) and draft 2020-12 schemas", () => {
    expect(checkJsonSchema(person)).toBeNull();
    expect(checkJsonSchema({ $schema: "http://json-schema.org/draft-07/schema#", ...person })).toBeNull();
    expect(checkJsonSchema({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "array", prefixItems: [{ type: "string" }] })).toBeNull();
  });

  it("names the keyword, its path and the allowed values of a wrong type", () => {
    const problem = checkJsonSchema({ type: "object", properties: { age: { type: "integr" } } });
    expect(problem).toMatchObject({ keyword: "type", path: "/properties/age/type" });
    expect(problem?.message).toContain("integer");
    expect(describeSchemaProblem(problem ?? { keyword: "", path: "", message: "" })).toBe(
      `The response schema is not valid: "type" at /properties/age/type: ${problem?.message}`,
    );
  });

  it("refuses unknown keywords and formats (Ajv would ignore them)", () => {
    expect(checkJsonSchema({ type: "object", properties: { a: { type: "string" } }, requird: ["a"] })).toMatchObject({ keyword: "requird", path: "/requird" });
    expect(checkJsonSchema({ type: "object", properties: { mail: { type: "string", format: "emial" } } })).toMatchObject({
      keyword: "format",
      path: "/properties/mail/format",
    });
  });

  it("refuses a wrongly shaped keyword, a bad reference, an unknown $schema and a non-object", () => {
    expect(checkJsonSchema({ type: "object", required: "name" })).toMatchObject({ keyword: "required", path: "/required", message: "must be an array." });
    expect(checkJsonSchema({ $ref: "#/definitions/missing" })).toMatchObject({ keyword: "$ref" });
    expect(checkJsonSchema({ $schema: "http://example.com/mine", type: "object" })).toMatchObject({ keyword: "$schema" });
    expect(checkJsonSchema([])).toMatchObject({ keyword: "type", path: "/" });
  });
});

describe("validateJsonOutput", () => {
  const validate = validator(person);

  it("accepts a result that follows the schema, bare or in a ```json fence", () => {
    expect(validateJsonOutput(validate, '{"name":"Ada","age":36}')).toEqual({ valid: true, issues: [] });
    expect(validateJsonOutput(validate, '```json\n{"name":"Ada"}\n```\n')).toEqual({ valid: true, issues: [] });
    expect(validateJsonOutput(validate, '```\n{"name":"Ada"}\n```')).toEqual({ valid: true, issues: [] });
  });

  it("lists every issue in human words with its path", () => {
    const result = validateJsonOutput(validate, '{"age":-1,"extra":true}');
    expect(result.valid).toBe(false);
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: "(root)", message: 'is missing the required property "name"' },
        { path: "age", message: "must be >= 0" },
        { path: "(root)", message: 'has the property "extra", which the schema does not allow' },
      ]),
    );
    const nested = validateJsonOutput(validator({ type: "array", items: { type: "object", properties: { n: { type: "string" } } } }), '[{"n":"a"},{"n":1}]');
    expect(nested.issues).toEqual([{ path: "[1].n", message: "must be a string" }]);
  });

  it("calls output that is not JSON invalid with the parse error, and keeps at most 20 issues", () => {
    const result = validateJsonOutput(validate, "Sure! Here is the JSON: {name: Ada}");
    expect(result.valid).toBe(false);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.message).toMatch(/^The output is not JSON: /);
    const many = validator({ type: "array", items: { type: "string" } });
    expect(validateJsonOutput(many, JSON.stringify(Array.from({ length: 50 }, (_, i) => i))).issues).toHaveLength(20);
  });

  it("does not strip a fence with text around it", () => {
    expect(parseJsonOutput('Here:\n```json\n{"name":"Ada"}\n```').ok).toBe(false);
  });
});

describe("parseJsonText", () => {
  it("reports the line and column of a syntax error", () => {
    const result = parseJsonText('{\n  "type": "object",\n  "properties": {,}\n}');
    expect(result).toMatchObject({ ok: false, line: 3, column: 18 });
    if (!result.ok) expect(result.message).toMatch(/^Line 3, column 18: /);
    expect(parseJsonText('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe("schemaFromExample", () => {
  it("describes an example so that the example follows it", () => {
    const example = { name: "Ada", age: 36, score: 0.5, tags: ["x"], ok: true, none: null, nested: { a: [] } };
    const schema = schemaFromExample(example);
    expect(schema).toMatchObject({
      type: "object",
      required: Object.keys(example),
      properties: { age: { type: "integer" }, score: { type: "number" }, tags: { type: "array", items: { type: "string" } } },
    });
    expect(validateJsonOutput(validator(schema), JSON.stringify(example)).valid).toBe(true);
    expect(validateJsonOutput(validator(schema), JSON.stringify({ ...example, age: "old" })).valid).toBe(false);
  });
});
