import type { BatchCellExecution, BatchRunRow } from "@sigil/db";
import { describe, expect, test } from "vitest";
import { buildGrid, compareRuns } from "./batch-grid.ts";

const run = (id: string, columns: number): BatchRunRow => ({
  id,
  name: "",
  promptId: "p",
  datasetId: "d",
  datasetName: "D",
  targets: Array.from({ length: columns }, (_, version) => ({ version: version + 1, provider: "template", model: "mustache", options: {} })),
  status: "completed",
  total: columns * 2,
  createdBy: null,
  completedAt: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

function cell(item: string | null, targetIndex: number, patch: Partial<BatchCellExecution> = {}): BatchCellExecution {
  return {
    id: `${item}-${targetIndex}`,
    datasetItemId: item,
    position: item === null ? null : Number(item.slice(1)),
    targetIndex,
    input: { q: item },
    status: "completed",
    excerpt: `out ${item}`,
    resultLength: `out ${item}`.length,
    latencyMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    valid: null,
    attempts: 1,
    ...patch,
  };
}

describe("buildGrid", () => {
  test("rows in the cells' order, a column per target, missing cells null, totals over every row", () => {
    const cells = [
      cell("i0", 0, { inputTokens: 3, outputTokens: 1, costUsd: 0.1, latencyMs: 100 }),
      cell("i0", 1, { status: "failed", excerpt: "boom", resultLength: 4 }),
      cell("i1", 0, { inputTokens: 5, outputTokens: 2, costUsd: 0.2, latencyMs: 300, excerpt: "long", resultLength: 900 }),
      cell(null, 1, { status: "pending", excerpt: null, resultLength: 0 }),
    ];
    const grid = buildGrid(run("r", 2), cells, 1, 2);
    expect(grid.totalRows).toBe(3);
    expect(grid.totalPages).toBe(2);
    expect(grid.rows.map((row) => row.cells.map((c) => c?.status ?? null))).toEqual([
      ["completed", "failed"],
      ["completed", null],
    ]);
    expect(grid.rows[1]?.cells[0]?.truncated).toBe(true);
    expect(grid.columns[0]?.totals).toEqual({
      inputTokens: 8,
      outputTokens: 3,
      costUsd: 0.3,
      meanLatencyMs: 200,
      completed: 2,
      failed: 0,
      cancelled: 0,
      pending: 0,
    });
    expect(grid.columns[1]?.totals).toMatchObject({ completed: 0, failed: 1, pending: 1, meanLatencyMs: null, costUsd: 0 });
  });
});

describe("compareRuns", () => {
  test("pairs items of both runs, marks changed outputs and statuses, lists items only one run has", () => {
    const left = { run: run("a", 1), target: 0, cells: [cell("i0", 0), cell("i1", 0), cell("i2", 0)] };
    const right = { run: run("b", 2), target: 1, cells: [cell("i0", 1), cell("i1", 1, { excerpt: "other" }), cell("i3", 1)] };
    const compared = compareRuns(left, right, { changedOnly: false, page: 1, pageSize: 10 });
    expect(compared.rows.map((row) => [row.datasetItemId, row.changed])).toEqual([
      ["i0", false],
      ["i1", true],
      ["i2", true],
      ["i3", true],
    ]);
    expect(compared.changed).toBe(3);
    expect(compareRuns(left, right, { changedOnly: true, page: 1, pageSize: 10 }).totalRows).toBe(3);
  });
});
