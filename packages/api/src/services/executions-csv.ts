import type { ExportedExecution } from "@sigil/db";
import { stringify } from "csv-stringify/sync";

/** The CSV export's columns, in order (README: Reviewing results). */
export const EXECUTION_CSV_COLUMNS = [
  "id",
  "created",
  "prompt",
  "version",
  "provider",
  "model",
  "status",
  "review status",
  "starred",
  "tokens",
  "cost",
  "latency",
  "valid",
  "input",
  "result",
  "error",
] as const;

/**
 * A text cell a spreadsheet cannot mistake for a formula (CSV injection, OWASP): one that starts
 * with = + - @, a tab or a carriage return gets a leading apostrophe, which spreadsheets show as
 * text and do not evaluate. Outputs of a model are attacker-influenced text.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function tokens(row: ExportedExecution): number | null {
  if (row.inputTokens === null && row.outputTokens === null) return null;
  return (row.inputTokens ?? 0) + (row.outputTokens ?? 0);
}

function cells(row: ExportedExecution): (string | number | null)[] {
  const text = (value: string | null) => (value === null ? null : spreadsheetSafe(value));
  return [
    row.id,
    row.createdAt.toISOString(),
    text(row.promptName),
    row.promptVersion,
    text(row.provider),
    text(row.model),
    row.status,
    row.reviewStatus,
    row.starred ? "yes" : "no",
    tokens(row),
    row.costUsd,
    row.latencyMs,
    row.valid === null ? null : row.valid ? "yes" : "no",
    text(JSON.stringify(row.input)),
    text(row.result),
    text(row.error),
  ];
}

/** Rows as CSV lines (RFC 4180 quoting by csv-stringify), with the header line first when asked. */
export function executionsCsv(rows: readonly ExportedExecution[], withHeader: boolean): string {
  const records: (string | number | null)[][] = rows.map(cells);
  if (withHeader) records.unshift([...EXECUTION_CSV_COLUMNS]);
  return stringify(records, { record_delimiter: "\r\n" });
}
