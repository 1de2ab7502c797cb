import { describe, expect, test } from "vitest";
import { renderTemplate, TemplateError, templateVariables } from "./templates.ts";

describe("templateVariables: the names a caller supplies, scoped as Mustache renders them", () => {
  test("top-level values in order of first use, without duplicates", () => {
    expect(templateVariables("{{b}} {{{a}}} {{& c}} {{b}}")).toEqual(["b", "a", "c"]);
  });

  test("a section is one variable; the names inside are its items' fields", () => {
    const template = "Hi {{name}}\n{{#items}}- {{title}} ({{name}}){{/items}}";
    expect(templateVariables(template)).toEqual(["name", "items"]);
    // What the list says is true: the item's own field wins inside the section.
    expect(renderTemplate(template, { name: "Ada", items: [{ title: "A", name: "x" }] })).toBe("Hi Ada\n- A (x)");
  });

  test("a name used only inside a section is not offered", () => {
    expect(templateVariables("{{#items}}{{name}}{{/items}}")).toEqual(["items"]);
  });

  test("nested sections belong to the outer section's items", () => {
    expect(templateVariables("{{#orders}}{{id}}{{#lines}}{{sku}}{{/lines}}{{/orders}} {{total}}")).toEqual(["orders", "total"]);
  });

  test("an inverted section has no item: the names inside are top-level", () => {
    expect(templateVariables("{{^items}}No items for {{customer}}.{{/items}}")).toEqual(["items", "customer"]);
    expect(templateVariables("{{^a}}{{#b}}{{c}}{{/b}}{{/a}}")).toEqual(["a", "b"]);
  });

  test("an inverted section inside a section stays in the section's scope", () => {
    expect(templateVariables("{{#items}}{{^done}}{{title}}{{/done}}{{/items}}")).toEqual(["items"]);
  });

  test("dotted names are listed as written, at the top level only", () => {
    expect(templateVariables("{{user.name}} {{#user.orders}}{{order.id}}{{/user.orders}}")).toEqual(["user.name", "user.orders"]);
  });

  test("partials, comments, {{.}} and set delimiters are not variables", () => {
    expect(templateVariables("{{> header}}{{! note }}{{#xs}}{{.}}{{/xs}}{{=<% %>=}}<% y %>")).toEqual(["xs", "y"]);
  });

  test("a template that does not parse is a TemplateError", () => {
    expect(() => templateVariables("{{#a}}")).toThrow(TemplateError);
  });
});
