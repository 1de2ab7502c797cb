import { describe, expect, test } from "vitest";
import { compactJson, parseJsonObject, toJsonText } from "./json";

describe("parseJsonObject", () => {
  test("objects, and blank text as {}", () => {
    expect(parseJsonObject('{"temperature": 0.2}')).toEqual({ ok: true, value: { temperature: 0.2 } });
    expect(parseJsonObject("   ")).toEqual({ ok: true, value: {} });
  });

  test("invalid JSON and non-objects are explained", () => {
    const broken = parseJsonObject("{temperature: 1}", "Options");
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toMatch(/^Options is not valid JSON/);
    const list = parseJsonObject("[1, 2]", "Options");
    expect(list.ok ? null : list.message).toMatch(/must be a JSON object .* not an array/);
    expect(parseJsonObject("null").ok).toBe(false);
    expect(parseJsonObject("42").ok).toBe(false);
  });
});

describe("JSON text", () => {
  test("indented for editing, compact for tables", () => {
    expect(toJsonText({})).toBe("{}");
    expect(toJsonText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(compactJson({ a: "x".repeat(200) }, 20)).toHaveLength(20);
    expect(compactJson({ a: 1, b: ["x", "y\nz"] })).toBe('{ "a": 1, "b": [ "x", "y\\nz" ] }');
    expect(compactJson({})).toBe("{}");
  });
});
