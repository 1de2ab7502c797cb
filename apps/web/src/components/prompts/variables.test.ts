import { describe, expect, it } from "vitest";
import { emptyVariableWarning, toTexts, toVariables, variableValue } from "./variables";

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
