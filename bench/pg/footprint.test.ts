import { describe, expect, it } from "vitest";
import { schemaFootprintRows } from "./footprint.ts";

describe("schemaFootprintRows", () => {
  it("divides what the schemas added by their number, sizes in KiB", () => {
    const before = { databaseBytes: 8 * 1024 * 1024, relations: 400, catalogBytes: 2 * 1024 * 1024 };
    const after = { databaseBytes: before.databaseBytes + 200 * 667 * 1024, relations: 400 + 200 * 79, catalogBytes: before.catalogBytes + 200 * 312 * 1024 };
    const rows = schemaFootprintRows(before, after, 200);
    expect(rows.map((row) => [row.benchmark, row.value, row.unit])).toEqual([
      ["one empty tenant schema (200 provisioned): relations", 79, "relations"],
      ["one empty tenant schema (200 provisioned): database size", 667, "KiB"],
      ["one empty tenant schema (200 provisioned): of it in the system catalogs", 312, "KiB"],
    ]);
  });

  it("refuses a count that is not a positive whole number", () => {
    const same = { databaseBytes: 1, relations: 1, catalogBytes: 1 };
    expect(() => schemaFootprintRows(same, same, 0)).toThrow("positive count");
  });
});
