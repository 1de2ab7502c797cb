import { targetMet, type BenchRow, type BenchTarget } from "./types.ts";

export const TABLE_HEADER = ["benchmark", "value", "unit", "target", "met?"] as const;

/** Three significant digits for small values (0.487 ms), grouped integers for large ones (1,234). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return String(Number(value.toPrecision(3)));
}

export function formatTarget(target: BenchTarget | undefined, unit: string): string {
  if (!target) return "—";
  return `${target.comparison === "<=" ? "≤" : "≥"} ${formatValue(target.value)} ${unit}`;
}

export function formatMet(row: BenchRow): string {
  const met = targetMet(row);
  if (met === undefined) return "—";
  return met ? "yes" : "NO";
}

/** The table's cells as strings, header first. */
export function tableCells(rows: readonly BenchRow[]): string[][] {
  return [[...TABLE_HEADER], ...rows.map((row) => [row.benchmark, formatValue(row.value), row.unit, formatTarget(row.target, row.unit), formatMet(row)])];
}

/** Plain-text table for the terminal: columns padded, numbers right-aligned. */
export function textTable(rows: readonly BenchRow[]): string {
  const cells = tableCells(rows);
  const widths = TABLE_HEADER.map((_, column) => Math.max(...cells.map((line) => (line[column] ?? "").length)));
  const render = (line: string[]) =>
    line
      .map((cell, column) => (column === 1 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join(" | ")
      .trimEnd();
  const [header, ...body] = cells;
  const rule = widths.map((width) => "-".repeat(width)).join("-|-");
  return [render(header ?? []), rule, ...body.map(render)].join("\n");
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const [header, ...body] = tableCells(rows);
  const line = (cells: string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header ?? []), "|---|---:|---|---|---|", ...body.map(line)].join("\n");
}

/** Row notes in table order, each prefixed with its benchmark's name. */
export function notesOf(rows: readonly BenchRow[]): string[] {
  return rows.filter((row) => row.note !== undefined).map((row) => `${row.benchmark}: ${row.note ?? ""}`);
}
