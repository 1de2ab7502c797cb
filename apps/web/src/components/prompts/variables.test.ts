import { describe, expect, it } from "vitest";
import { declaredTypes, emptyVariableWarning, inputErrorsByVariable, toTexts, toVariables, variableValue } from "./variables";

describe("variableValue", () => {
  it("keeps plain text as is, including whitespace", () => {
    expect(variableValue("hello")).toBe("hello");
    expect(variableValue("  padded ")).toBe("  padded ");
    expect(variableValue("42")).toBe("42");
    expect(variableValue("")).toBe("");
  });

  it("parses JSON lists and objects", () => {
    expect(variableValue('["a", "b"]')).toEqual(["a", "b"]);
    expect(variableValue(' {"name": "x"} ')).toEqual({ name: "x" });
  });

  it("keeps text that only looks like JSON", () => {
    expect(variableValue("[draft]")).toBe("[draft]");
    expect(variableValue("{not json}")).toBe("{not json}");
  });
});

describe("toVariables", () => {
  it("sends only the template's variables that have a value", () => {
    expect(toVariables(["a", "b"], { a: "1", stale: "x" })).toEqual({ a: "1" });
    expect(toVariables(["list"], { list: "[1,2]" })).toEqual({ list: [1, 2] });
  });

  it("nests dotted names and keeps a whole value over its parts", () => {
    expect(toVariables(["user.name", "user.email"], { "user.name": "Ada", "user.email": "a@x" })).toEqual({ user: { name: "Ada", email: "a@x" } });
    expect(toVariables(["user.name", "user"], { "user.name": "Ada", user: "whole" })).toEqual({ user: "whole" });
  });

  it("never writes prototype keys", () => {
    const result = toVariables(["__proto__.polluted", "constructor"], { "__proto__.polluted": "x", constructor: "y" });
    // Kept only as a flat, inert key; nothing is nested under a prototype key.
    expect(Object.keys(result)).toEqual(["__proto__.polluted"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("toTexts", () => {
  it("round-trips strings and JSON values", () => {
    expect(toTexts({ a: "x", b: ["y"], c: 3 })).toEqual({ a: "x", b: '["y"]', c: "3" });
    expect(toVariables(["b"], toTexts({ b: ["y"] }))).toEqual({ b: ["y"] });
  });
});

describe("emptyVariableWarning", () => {
  it("warns about missing, empty and blank values only", () => {
    expect(emptyVariableWarning("customer", undefined)).toBe("customer is empty; it will render as nothing.");
    expect(emptyVariableWarning("customer", "")).toBe("customer is empty; it will render as nothing.");
    expect(emptyVariableWarning("customer", "  \n")).toBe("customer is empty; it will render as nothing.");
    expect(emptyVariableWarning("customer", "Ada")).toBeNull();
    expect(emptyVariableWarning("items", "[]")).toBeNull();
  });
});

describe("values typed for the input schema", () => {
  const schema = {
    type: "object",
    properties: {
      age: { type: "integer" },
      score: { type: ["number", "null"] },
      vip: { type: "boolean" },
      code: { type: "string" },
      note: { type: ["string", "number"] },
      user: { type: "object", properties: { id: { type: "integer" } } },
    },
  };

  it("reads the declared types, through dotted names", () => {
    expect(declaredTypes(schema, "age")).toEqual(["integer"]);
    expect(declaredTypes(schema, "user.id")).toEqual(["integer"]);
    expect(declaredTypes(schema, "missing")).toBeNull();
    expect(declaredTypes(null, "age")).toBeNull();
    expect(declaredTypes({ properties: { toString: {} } }, "constructor")).toBeNull();
  });

  it("sends numbers, booleans and null where the schema wants them and text cannot be", () => {
    const texts = { age: "36", score: "null", vip: "true", code: "007", note: "12", "user.id": "7" };
    expect(toVariables(Object.keys(texts), texts, schema)).toEqual({ age: 36, score: null, vip: true, code: "007", note: "12", user: { id: 7 } });
  });

  it("keeps what does not convert, for the schema to refuse with its own words", () => {
    expect(variableValue("thirty", ["integer"])).toBe("thirty");
    expect(variableValue("1.5", ["integer"])).toBe(1.5);
    expect(variableValue('["a"]', ["string"])).toBe('["a"]');
    expect(variableValue('["a"]', ["array"])).toEqual(["a"]);
  });
});

describe("inputErrorsByVariable", () => {
  const refusal = (issues: { path: string; message: string }[]) =>
    Object.assign(new Error("refused"), { data: { code: "BAD_REQUEST", inputErrors: [{ itemId: null, itemNumber: null, version: 1, issues }] } });

  it("puts each issue under its variable and leaves the rest to the message", () => {
    const error = refusal([
      { path: "(root)", message: 'is missing the required property "customer"' },
      { path: "age", message: "must be >= 0" },
      { path: "user", message: 'is missing the required property "id"' },
      { path: "items[0].title", message: "must be a string" },
      { path: "other", message: "must be a string" },
    ]);
    expect(inputErrorsByVariable(error, ["customer", "age", "user.id", "items"])).toEqual({
      customer: "Required by the prompt's input schema.",
      age: "Must be >= 0.",
      "user.id": "Required by the prompt's input schema.",
      items: "[0].title: must be a string.",
    });
  });

  it("has nothing for other errors", () => {
    expect(inputErrorsByVariable(new Error("x"), ["a"])).toEqual({});
    expect(inputErrorsByVariable(null, ["a"])).toEqual({});
  });
});
