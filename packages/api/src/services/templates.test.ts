import { describe, expect, test } from "vitest";
import { renderTemplate, TemplateError } from "./templates.ts";

describe("renderTemplate: any variable name is just a name", () => {
  const names = ["hasOwnProperty", "constructor", "__proto__", "toString", "valueOf", "isPrototypeOf", "__defineGetter__"];

  test.each(names)("{{%s}} renders nothing without input, and later lookups still work", (name) => {
    expect(renderTemplate(`[{{${name}}}] {{x}} {{${name}}} {{y}}`, { x: "a", y: "b" })).toBe("[] a  b");
  });

  test.each(names)("{{%s}} renders the input's value when given", (name) => {
    const input = JSON.parse(`{"${name}": "v-${name}", "x": "a"}`) as Record<string, unknown>;
    expect(renderTemplate(`{{${name}}} {{x}} {{${name}}}`, input)).toBe(`v-${name} a v-${name}`);
  });

  test("sections and dotted names over those names see only the input", () => {
    expect(renderTemplate("{{#constructor}}yes{{/constructor}}{{^constructor}}no{{/constructor}}", {})).toBe("no");
    expect(renderTemplate("{{#hasOwnProperty}}{{name}}{{/hasOwnProperty}}", { hasOwnProperty: [{ name: "a" }, { name: "b" }] })).toBe("ab");
    expect(renderTemplate("{{s.constructor.name}}|{{s.length}}|{{n.toString}}|{{o.__proto__}}", { s: "abc", n: 5, o: {} })).toBe("|||");
    expect(renderTemplate("{{o.k}}|{{list.length}}|{{#list}}{{.}}{{/list}}", { o: { k: 1 }, list: ["x", "y"] })).toBe("1|2|xy");
  });

  test("a name missing from a section's item falls back to the outer input", () => {
    expect(renderTemplate("{{#items}}{{title}}-{{who}};{{/items}}", { who: "w", items: [{ title: "a" }, { title: "b", who: "z" }] })).toBe("a-w;b-z;");
  });

  test("no JavaScript error text ever leaves the renderer", () => {
    expect(renderTemplate("{{hasOwnProperty}}{{hasOwnProperty}}", {})).toBe("");
    const input = { toString: "x", hasOwnProperty: 1, constructor: null, __proto__: "p" };
    for (const name of names) {
      let caught: unknown;
      try {
        renderTemplate(`{{#${name}}}{{${name}}}{{/${name}}}{{^${name}}}{{${name}}}{{/${name}}}`, input);
      } catch (error) {
        caught = error;
      }
      if (caught === undefined) continue;
      expect(caught).toBeInstanceOf(TemplateError);
      expect((caught as Error).message).not.toMatch(/is not a function|Cannot read|undefined/);
    }
  });
});
