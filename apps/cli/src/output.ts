/** How the CLI prints: aligned tables for people, JSON (`--json`) for programs. */

export type Cell = string | number | null;

/** Columns padded to their widest cell; numbers right-aligned; null shown as "—". */
export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => (cell === null ? "—" : String(cell))));
  const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => row[column]?.length ?? 0)));
  const numeric = headers.map(
    (_, column) => rows.some((row) => typeof row[column] === "number") && rows.every((row) => typeof row[column] === "number" || row[column] === null),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return numeric[column] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), ...text.map(line)].join("\n");
}

/** Bytes for people: 0 B, 12.3 KiB, 4.5 MiB… */
export function bytes(value: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let amount = value;
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${amount} B` : `${amount.toFixed(1)} ${units[unit] ?? ""}`;
}

/** A moment as UTC, to the minute ("2026-12-04 18:30"), or null. */
export function when(date: Date | null): string | null {
  return date === null ? null : `${date.toISOString().slice(0, 16).replace("T", " ")}`;
}

/** JSON for programs: dates as ISO strings, two-space indented. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
