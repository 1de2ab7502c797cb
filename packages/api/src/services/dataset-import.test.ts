import { describe, expect, test } from "vitest";
import { ImportSourceError, mappingProblems, mapRecords, parseSource, previewImport, proposeMapping, readTags } from "./dataset-import.ts";

describe("parseSource", () => {
  test("CSV: the header names the columns; quoted commas and newlines stay in their cell; rows are numbered after the header", () => {
    const source = parseSource("csv", '\uFEFFquestion, answer\n"a, b",1\n"multi\nline",2\n');
    expect(source.columns).toEqual(["question", "answer"]);
    expect(source.records).toEqual([
      { row: 1, values: { question: "a, b", answer: "1" } },
      { row: 2, values: { question: "multi\nline", answer: "2" } },
    ]);
  });

  test("CSV: a row with another number of cells is refused with its line", () => {
    expect(() => parseSource("csv", "a,b\n1,2\n3")).toThrow(ImportSourceError);
    expect(() => parseSource("csv", "a,b\n1,2\n3")).toThrow(/line 3/);
  });

  test("JSON: the union of the objects' keys in first-seen order; non-objects are row errors", () => {
    const source = parseSource("json", JSON.stringify([{ a: 1 }, "x", { b: [1], a: 2 }, null]));
    expect(source.columns).toEqual(["a", "b"]);
    expect(source.records.map((record) => record.row)).toEqual([1, 3]);
    expect(source.errors).toEqual([
      { row: 2, message: "Element 2 is a string, not an object of variables." },
      { row: 4, message: "Element 4 is null, not an object of variables." },
    ]);
  });

  test("JSONL and text: blank lines are skipped but keep the line numbers", () => {
    expect(parseSource("jsonl", '{"a":1}\n\n{"a":2}').records.map((record) => record.row)).toEqual([1, 3]);
    expect(parseSource("text", " one \r\n\r\ntwo").records).toEqual([
      { row: 1, values: { text: "one" } },
      { row: 3, values: { text: "two" } },
    ]);
  });

  test("more rows than one import takes are refused with the limit", () => {
    expect(() => parseSource("text", Array.from({ length: 5001 }, (_, i) => `l${i}`).join("\n"))).toThrow(
      "The import has 5001 rows; one import takes at most 5000. Split it into several files.",
    );
  });
});

describe("mapping", () => {
  test("proposes the expected output and tags columns by name, every other column as its own variable", () => {
    expect(proposeMapping(["Question", "Expected Output", "Labels", "ctx"])).toEqual({
      variables: { Question: "Question", ctx: "ctx" },
      expectedOutput: "Expected Output",
      tags: "Labels",
    });
  });

  test("names the problems of a mapping", () => {
    expect(mappingProblems({ variables: {}, expectedOutput: "gone", tags: null }, ["a"])).toEqual([
      'The mapping names column the import does not have: "gone".',
      "Map at least one column to a variable.",
    ]);
  });

  test("maps values, JSON expected outputs and tag lists; reports rows that cannot become items", () => {
    const { items, errors } = mapRecords(
      [
        { row: 1, values: { q: "x", exp: { ok: true }, t: "a; b |a" } },
        { row: 2, values: { q: "", exp: "", t: "" } },
        { row: 3, values: { q: "y", exp: null, t: [1] } },
      ],
      { variables: { q: "question" }, expectedOutput: "exp", tags: "t" },
    );
    expect(items).toEqual([{ row: 1, variables: { question: "x" }, expectedOutput: '{"ok":true}', tags: ["a", "b"] }]);
    expect(errors).toEqual([
      { row: 2, message: "Row 2: every mapped variable is empty." },
      { row: 3, message: "Row 3: a tag is a number; tags are texts." },
    ]);
  });

  test("readTags refuses values that are not texts", () => {
    expect(readTags(5)).toEqual({ error: "the tags are a number; give a list of texts or a comma-separated text." });
    expect(readTags(["a", " ", "a"])).toEqual({ tags: ["a"] });
  });

  test("the preview shows 20 mapped rows and counts every error", () => {
    const content = ["q", ...Array.from({ length: 30 }, (_, i) => (i % 10 === 9 ? '""' : `v${i}`))].join("\n");
    const preview = previewImport("csv", content, undefined);
    expect(preview).toMatchObject({ totalRows: 30, validRows: 27, errorCount: 3, mappingProblems: [] });
    expect(preview.rows).toHaveLength(20);
    expect(preview.errors.map((error) => error.row)).toEqual([10, 20, 30]);
  });
});
