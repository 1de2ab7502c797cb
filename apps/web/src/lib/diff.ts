/**
 * A line-based diff (longest common subsequence), for comparing prompt versions side by side.
 *
 * `diffLines(a, b)` lists every line of both texts once, in order: kept lines ("equal"), lines only
 * in `a` ("removed") and lines only in `b` ("added"), with their 1-based line numbers.
 * `sideBySide(lines)` pairs them into rows for a two-column view, and `collapseUnchanged(rows)`
 * folds long unchanged stretches so the changes stand out.
 */

export type DiffKind = "equal" | "removed" | "added";

export interface DiffLine {
  kind: DiffKind;
  text: string;
  /** Line number in the old text ("equal" and "removed"). */
  oldNumber: number | null;
  /** Line number in the new text ("equal" and "added"). */
  newNumber: number | null;
}

export interface DiffResult {
  lines: DiffLine[];
  added: number;
  removed: number;
  /**
   * True when the texts were too large for a line-by-line comparison (more than `maxCells`
   * pairs of differing lines): the differing middle is then shown as removed, then added.
   */
  approximate: boolean;
}

/** ~4 million DP cells (16 MB): far beyond any prompt a person edits, small enough for a browser. */
export const DEFAULT_MAX_CELLS = 4_000_000;

/** Splits a text into lines; "" has no lines, a trailing newline does not make an empty last line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string, options: { maxCells?: number } = {}): DiffResult {
  return diffSequences(splitLines(oldText), splitLines(newText), options);
}

/** The diff of two lists of lines (exposed for tests and callers that split themselves). */
export function diffSequences(a: readonly string[], b: readonly string[], { maxCells = DEFAULT_MAX_CELLS }: { maxCells?: number } = {}): DiffResult {
  // Common prefix and suffix need no table: most edits touch a few lines of a long template.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }

  const lines: DiffLine[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  const equal = (text: string) => lines.push({ kind: "equal", text, oldNumber: oldNumber++, newNumber: newNumber++ });
  const removed = (text: string) => lines.push({ kind: "removed", text, oldNumber: oldNumber++, newNumber: null });
  const added = (text: string) => lines.push({ kind: "added", text, oldNumber: null, newNumber: newNumber++ });

  for (let i = 0; i < start; i++) equal(at(a, i));

  const n = endA - start;
  const m = endB - start;
  let approximate = false;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) > maxCells) {
    approximate = true;
    for (let i = start; i < endA; i++) removed(at(a, i));
    for (let j = start; j < endB; j++) added(at(b, j));
  } else if (n > 0 || m > 0) {
    // lcs[i * (m + 1) + j] = length of the LCS of a[start + i..endA) and b[start + j..endB).
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          at(a, start + i) === at(b, start + j)
            ? cell(lcs, (i + 1) * width + j + 1) + 1
            : Math.max(cell(lcs, (i + 1) * width + j), cell(lcs, i * width + j + 1));
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      const lineA = at(a, start + i);
      const lineB = at(b, start + j);
      if (lineA === lineB) {
        equal(lineA);
        i++;
        j++;
      } else if (cell(lcs, (i + 1) * width + j) >= cell(lcs, i * width + j + 1)) {
        // Removals before additions, so a changed line reads "old, then new".
        removed(lineA);
        i++;
      } else {
        added(lineB);
        j++;
      }
    }
    for (; i < n; i++) removed(at(a, start + i));
    for (; j < m; j++) added(at(b, start + j));
  }

  for (let i = endA; i < a.length; i++) equal(at(a, i));

  return {
    lines,
    added: lines.filter((line) => line.kind === "added").length,
    removed: lines.filter((line) => line.kind === "removed").length,
    approximate,
  };
}

/** One row of a side-by-side view: the old line on the left, the new one on the right. */
export interface SideBySideRow {
  left: DiffLine | null;
  right: DiffLine | null;
}

/**
 * Pairs a diff into rows: equal lines face each other; a run of removals facing the run of
 * additions that follows it (a changed block), the shorter side padded with empty cells.
 */
export function sideBySide(lines: readonly DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = at(lines, index);
    if (line.kind === "equal") {
      rows.push({ left: line, right: line });
      index++;
      continue;
    }
    const removed: DiffLine[] = [];
    const added: DiffLine[] = [];
    while (index < lines.length && at(lines, index).kind === "removed") removed.push(at(lines, index++));
    while (index < lines.length && at(lines, index).kind === "added") added.push(at(lines, index++));
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({ left: removed[k] ?? null, right: added[k] ?? null });
    }
  }
  return rows;
}

export type CollapsedRow<Row> = { type: "row"; row: Row } | { type: "gap"; id: string; rows: Row[] };

/**
 * Folds runs of more than `2 * context + minHidden - 1` unchanged rows, keeping `context` rows
 * next to each change. A gap's `id` is stable (its first row's index) so a view can expand it.
 */
export function collapseUnchanged<Row>(
  rows: readonly Row[],
  isUnchanged: (row: Row) => boolean,
  { context = 3, minHidden = 4 }: { context?: number; minHidden?: number } = {},
): CollapsedRow<Row>[] {
  const result: CollapsedRow<Row>[] = [];
  let index = 0;
  while (index < rows.length) {
    if (!isUnchanged(at(rows, index))) {
      result.push({ type: "row", row: at(rows, index) });
      index++;
      continue;
    }
    let end = index;
    while (end < rows.length && isUnchanged(at(rows, end))) end++;
    const keepBefore = index === 0 ? 0 : context;
    const keepAfter = end === rows.length ? 0 : context;
    const hidden = end - index - keepBefore - keepAfter;
    if (hidden < minHidden) {
      for (let k = index; k < end; k++) result.push({ type: "row", row: at(rows, k) });
    } else {
      for (let k = index; k < index + keepBefore; k++) result.push({ type: "row", row: at(rows, k) });
      result.push({ type: "gap", id: `gap-${index + keepBefore}`, rows: rows.slice(index + keepBefore, end - keepAfter) });
      for (let k = end - keepAfter; k < end; k++) result.push({ type: "row", row: at(rows, k) });
    }
    index = end;
  }
  return result;
}

/** Indexing that the type checker can trust (noUncheckedIndexedAccess): callers stay in bounds. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`diff: index ${index} out of bounds (${items.length})`);
  return item;
}

function cell(table: Uint32Array, index: number): number {
  return table[index] ?? 0;
}
