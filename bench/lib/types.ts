/** A threshold a measured value must satisfy ("≤ 1 ms", "≥ 1,000 tenants/s"). */
export interface BenchTarget {
  comparison: "<=" | ">=";
  value: number;
}

/** One line of the results table. */
export interface BenchRow {
  benchmark: string;
  value: number;
  unit: string;
  /** Rows without a target are context (p99, totals, baselines) and show "—" under "met?". */
  target?: BenchTarget;
  /** Printed under the table: what was measured exactly, or why a number is suspect. */
  note?: string;
}

/** Command-line options of `pnpm bench` that suites may read (bench/run.ts parses them). */
export interface BenchOptions {
  /** `--tenants N`: how many tenants the storage and control-plane suites create. */
  tenants?: number;
  /** `--list-input JSON`: the input of `tenants.list` in the control-plane suite (default: none, the procedure's first page). */
  listInput?: unknown;
  /** `--against REF`: the HTTP suite also serves that commit (built in a git worktree) side by side. */
  against?: string;
  /** `--hypersigil DIR`: the HTTP suite also serves hypersigil's backend built in DIR (bench/http/build-hypersigil.sh). */
  hypersigil?: string;
  /** `--postgres`: the HTTP suite also serves this build on a private PostgreSQL and compares the engines. */
  postgres?: boolean;
}

/** A bench file's entry point: measures, cleans up after itself, and returns its rows. */
export type BenchSuite = (options: BenchOptions) => Promise<BenchRow[]>;

export function targetMet(row: BenchRow): boolean | undefined {
  if (!row.target) return undefined;
  return row.target.comparison === "<=" ? row.value <= row.target.value : row.value >= row.target.value;
}
