import { describe, expect, test } from "vitest";
import { mappingOf, rolesOf } from "./mapping";

describe("the import dialog's column roles", () => {
  test("a mapping becomes one role per column (unmapped columns are ignored) and back", () => {
    const mapping = { variables: { q: "question", ctx: "context" }, expectedOutput: "answer", tags: "labels" };
    const roles = rolesOf(mapping, ["q", "ctx", "answer", "labels", "notes"]);
    expect(roles).toEqual({
      q: { kind: "variable", name: "question" },
      ctx: { kind: "variable", name: "context" },
      answer: { kind: "expected" },
      labels: { kind: "tags" },
      notes: { kind: "ignore" },
    });
    expect(mappingOf(roles)).toEqual(mapping);
  });

  test("changing a role changes the mapping the server is sent", () => {
    const roles = rolesOf({ variables: { a: "a", b: "b" }, expectedOutput: null, tags: null }, ["a", "b"]);
    expect(mappingOf({ ...roles, b: { kind: "expected" } })).toEqual({ variables: { a: "a" }, expectedOutput: "b", tags: null });
  });
});
