import type { ExportedExecution } from "@sigil/db";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { EXECUTION_CSV_COLUMNS, executionsCsv, spreadsheetSafe } from "./executions-csv.ts";

function row(overrides: Partial<ExportedExecution> = {}): ExportedExecution {
  const at = new Date("2026-12-05T10:00:00.000Z");
  return {
    id: "e1",
    promptId: "p1",
    promptName: "Greeting",
    promptVersion: 2,
    deploymentId: null,
    input: { name: "Ada" },
    options: {},
    fileIds: [],
    provider: "openai",
    model: "gpt-4o-mini",
    status: "completed",
    result: "Hello",
    error: null,
    attempts: 1,
    claimedBy: null,
    leaseExpiresAt: null,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.0001,
    latencyMs: 420,
    valid: true,
    validationErrors: null,
    starred: true,
    reviewStatus: "needs_work",
    batchRunId: null,
    datasetItemId: null,
    targetIndex: null,
    createdBy: null,
    startedAt: at,
    completedAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

describe("spreadsheetSafe", () => {
  it("prefixes cells a spreadsheet would evaluate, and only those", () => {
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) expect(spreadsheetSafe(formula)).toBe(`'${formula}`);
    for (const text of ["Hello", "1-2", " =1", "a=b", ""]) expect(spreadsheetSafe(text)).toBe(text);
  });
});

describe("executionsCsv", () => {
  it("writes the header and every column; quotes commas, quotes and newlines (RFC 4180)", () => {
    const text = executionsCsv([row({ result: 'He said "hi",\nthen left', input: { a: "x,y" } })], true);
    expect(text.split("\r\n")[0]).toBe(EXECUTION_CSV_COLUMNS.join(","));
    const [parsed] = parse<Record<string, string>>(text, { columns: true });
    expect(parsed).toEqual({
      id: "e1",
      created: "2026-12-05T10:00:00.000Z",
      prompt: "Greeting",
      version: "2",
      provider: "openai",
      model: "gpt-4o-mini",
      status: "completed",
      "review status": "needs_work",
      starred: "yes",
      tokens: "15",
      cost: "0.0001",
      latency: "420",
      valid: "yes",
      input: '{"a":"x,y"}',
      result: 'He said "hi",\nthen left',
      error: "",
    });
  });

  it("defuses formulas in text cells, leaves unknown values empty, and writes no header on later pages", () => {
    const text = executionsCsv(
      [row({ result: "=cmd|' /C calc'!A0", error: "-boom", promptName: null, inputTokens: null, outputTokens: null, valid: null, costUsd: null })],
      false,
    );
    const records: string[][] = parse(text);
    const [cells] = records;
    expect(cells?.[0]).toBe("e1");
    expect(cells?.[2]).toBe("");
    expect(cells?.[9]).toBe("");
    expect(cells?.[12]).toBe("");
    expect(cells?.[14]).toBe("'=cmd|' /C calc'!A0");
    expect(cells?.[15]).toBe("'-boom");
  });
});
