import type { BatchCellExecution, BatchRunRow } from "@sigil/db";
import type { BatchCellOutput } from "../rest/dataset-outputs.ts";

/**
 * The grid of a batch run (rows = dataset items in position order, columns = targets) and the
 * comparison of two runs' columns, from the latest execution of each cell. Pure functions over
 * what batchRunModel.cells returns.
 */

interface GridRow {
  key: string;
  datasetItemId: string | null;
  position: number | null;
  variables: Record<string, unknown>;
  cells: (BatchCellExecution | null)[];
}

/** A row per dataset item (an item deleted since is matched by its input), in the cells' order. */
export function gridRows(cells: readonly BatchCellExecution[], columns: number): GridRow[] {
  const rows = new Map<string, GridRow>();
  for (const cell of cells) {
    const key = cell.datasetItemId ?? `input:${JSON.stringify(cell.input)}`;
    let row = rows.get(key);
    if (!row) {
      row = { key, datasetItemId: cell.datasetItemId, position: cell.position, variables: cell.input, cells: Array.from({ length: columns }, () => null) };
      rows.set(key, row);
    }
    if (cell.targetIndex >= 0 && cell.targetIndex < columns) row.cells[cell.targetIndex] = cell;
  }
  return [...rows.values()];
}

export function cellOutput(cell: BatchCellExecution): BatchCellOutput {
  return {
    executionId: cell.id,
    status: cell.status,
    excerpt: cell.excerpt,
    truncated: (cell.excerpt?.length ?? 0) < cell.resultLength,
    latencyMs: cell.latencyMs,
    inputTokens: cell.inputTokens,
    outputTokens: cell.outputTokens,
    costUsd: cell.costUsd,
    valid: cell.valid,
    attempts: cell.attempts,
  };
}

export interface ColumnTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Over the cells that report a latency; null when none does. */
  meanLatencyMs: number | null;
  completed: number;
  failed: number;
  cancelled: number;
  /** Not ended yet: pending or running. */
  pending: number;
}

export function columnTotals(rows: readonly GridRow[], column: number): ColumnTotals {
  const totals: ColumnTotals = { inputTokens: 0, outputTokens: 0, costUsd: 0, meanLatencyMs: null, completed: 0, failed: 0, cancelled: 0, pending: 0 };
  let latencySum = 0;
  let latencyCount = 0;
  for (const row of rows) {
    const cell = row.cells[column];
    if (!cell) continue;
    totals.inputTokens += cell.inputTokens ?? 0;
    totals.outputTokens += cell.outputTokens ?? 0;
    totals.costUsd += cell.costUsd ?? 0;
    if (cell.latencyMs !== null) {
      latencySum += cell.latencyMs;
      latencyCount += 1;
    }
    if (cell.status === "completed" || cell.status === "failed" || cell.status === "cancelled") totals[cell.status] += 1;
    else totals.pending += 1;
  }
  totals.meanLatencyMs = latencyCount === 0 ? null : latencySum / latencyCount;
  // Sums of float prices: round away binary noise (0.1 + 0.2) at a micro-dollar.
  totals.costUsd = Math.round(totals.costUsd * 1e6) / 1e6;
  return totals;
}

export function buildGrid(run: BatchRunRow, cells: readonly BatchCellExecution[], page: number, pageSize: number) {
  const rows = gridRows(cells, run.targets.length);
  const columns = run.targets.map((target, index) => ({ ...target, index, totals: columnTotals(rows, index) }));
  const start = (page - 1) * pageSize;
  return {
    run,
    columns,
    rows: rows.slice(start, start + pageSize).map((row) => ({
      datasetItemId: row.datasetItemId,
      position: row.position,
      variables: row.variables,
      cells: row.cells.map((cell) => (cell ? cellOutput(cell) : null)),
    })),
    totalRows: rows.length,
    page,
    pageSize,
    totalPages: Math.ceil(rows.length / pageSize),
  };
}

export interface CompareSide {
  run: BatchRunRow;
  cells: readonly BatchCellExecution[];
  target: number;
}

/**
 * Per item of both runs, the two outputs side by side and whether they differ (another status,
 * or another text). Items only one run has are listed with the other side empty (changed).
 */
export function compareRuns(left: CompareSide, right: CompareSide, options: { changedOnly: boolean; page: number; pageSize: number }) {
  const leftRows = gridRows(left.cells, left.run.targets.length);
  const rightByKey = new Map(gridRows(right.cells, right.run.targets.length).map((row) => [row.key, row]));
  const pairs = leftRows.map((row) => {
    const other = rightByKey.get(row.key);
    rightByKey.delete(row.key);
    return pair(row, row.cells[left.target] ?? null, other?.cells[right.target] ?? null);
  });
  for (const row of rightByKey.values()) pairs.push(pair(row, null, row.cells[right.target] ?? null));
  const listed = options.changedOnly ? pairs.filter((entry) => entry.changed) : pairs;
  const start = (options.page - 1) * options.pageSize;
  return {
    left: { run: left.run, target: left.target },
    right: { run: right.run, target: right.target },
    changed: pairs.filter((entry) => entry.changed).length,
    rows: listed.slice(start, start + options.pageSize),
    totalRows: listed.length,
    page: options.page,
    pageSize: options.pageSize,
    totalPages: Math.ceil(listed.length / options.pageSize),
  };
}

function pair(row: GridRow, left: BatchCellExecution | null, right: BatchCellExecution | null) {
  const changed = left === null || right === null || left.status !== right.status || left.excerpt !== right.excerpt || left.resultLength !== right.resultLength;
  return {
    datasetItemId: row.datasetItemId,
    position: row.position,
    variables: row.variables,
    left: left ? cellOutput(left) : null,
    right: right ? cellOutput(right) : null,
    changed,
  };
}
