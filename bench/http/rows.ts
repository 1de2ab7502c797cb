import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

/**
 * The pure half of the HTTP benchmark (bench/http.bench.ts): what one path is, what one timed run
 * of it gave, and the table rows and ratios made from those runs.
 */
export interface Target {
  label: string;
  /** The server it is sent to, and the process whose CPU it costs. */
  base: string;
  pid: number;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Another server's counterpart of a target: measured right after it, round by round. */
  pairedWith?: Target;
  /** CPU time so far (ms) of the database server the target's web server uses, when that is a process of its own. */
  databaseCpuMs?: () => number;
}

export interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  /** The database server's CPU over the run divided by the requests served (targets with `databaseCpuMs`). */
  databaseCpuMsPerRequest?: number;
}

/** The medians of a target's runs. */
export interface Summary {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  databaseCpuMsPerRequest: number | undefined;
}

/** How each target is loaded: autocannon's connections and seconds, and how many rounds. */
export interface LoadPlan {
  connections: number;
  seconds: number;
  rounds: number;
}

export function summarize(runs: readonly Run[]): Summary {
  if (runs.length === 0) throw new Error("no runs to summarize");
  const of = (pick: (run: Run) => number) => median(runs.map(pick));
  const database = runs.map((run) => run.databaseCpuMsPerRequest).filter((value) => value !== undefined);
  return {
    requestsPerSecond: of((run) => run.requestsPerSecond),
    p50Ms: of((run) => run.p50Ms),
    p99Ms: of((run) => run.p99Ms),
    cpuMsPerRequest: of((run) => run.cpuMsPerRequest),
    databaseCpuMsPerRequest: database.length === runs.length ? median(database) : undefined,
  };
}

export function targetRows(target: Target, summary: Summary, plan: LoadPlan): BenchRow[] {
  const rows: BenchRow[] = [
    {
      benchmark: `HTTP ${target.label}: throughput`,
      value: summary.requestsPerSecond,
      unit: "req/s",
      note: `HTTP ${target.label}: ${target.method} ${target.path.split("?")[0] ?? ""}, autocannon ${plan.connections} connections × ${plan.seconds} s, median of ${plan.rounds} interleaved rounds`,
    },
    { benchmark: `HTTP ${target.label}: p50 / p99 latency`, value: summary.p50Ms, unit: `ms p50 (p99 ${summary.p99Ms.toFixed(1)} ms)` },
    { benchmark: `HTTP ${target.label}: server CPU per request`, value: summary.cpuMsPerRequest, unit: "ms" },
  ];
  if (summary.databaseCpuMsPerRequest !== undefined) {
    rows.push({ benchmark: `HTTP ${target.label}: PostgreSQL's CPU per request`, value: summary.databaseCpuMsPerRequest, unit: "ms" });
  }
  return rows;
}

/** The summary of a target's runs; undefined for a target that was not measured. */
export type SummaryOf = (target: Target | undefined) => Summary | undefined;

/** `numerator / denominator` of one figure of two targets; NaN when either was not measured. */
export function ratioOf(summaryOf: SummaryOf, numerator: Target | undefined, denominator: Target | undefined, pick: (summary: Summary) => number): number {
  const top = summaryOf(numerator);
  const bottom = summaryOf(denominator);
  return top && bottom ? pick(top) / pick(bottom) : Number.NaN;
}

/** The same read, write and page served by one build on one engine. */
export interface EngineTargets {
  read: Target;
  write: Target;
  page: Target;
}

/** CPU a request costs the web server plus, where it is another process, the database server. */
const serverAndDatabase = (summary: Summary) => summary.cpuMsPerRequest + (summary.databaseCpuMsPerRequest ?? 0);

/**
 * `--postgres`: the same build on PostgreSQL against itself on SQLite, per request: throughput,
 * median latency, the web server's CPU, and the web server's plus PostgreSQL's CPU (SQLite runs
 * inside the web server, so its side is the web server's alone).
 */
export function postgresRatios(sqlite: EngineTargets, postgres: EngineTargets, summaryOf: SummaryOf): BenchRow[] {
  const ratio = (pick: (summary: Summary) => number, of: keyof EngineTargets) => ratioOf(summaryOf, postgres[of], sqlite[of], pick);
  const rows: BenchRow[] = [];
  for (const [of, name] of [
    ["read", "read"],
    ["write", "write"],
    ["page", "page"],
  ] as const) {
    rows.push(
      { benchmark: `${name} throughput: PostgreSQL / SQLite`, value: ratio((summary) => summary.requestsPerSecond, of), unit: "×" },
      { benchmark: `${name} p50 latency: PostgreSQL / SQLite`, value: ratio((summary) => summary.p50Ms, of), unit: "×" },
      { benchmark: `${name} CPU per request, web server: PostgreSQL / SQLite`, value: ratio((summary) => summary.cpuMsPerRequest, of), unit: "×" },
      { benchmark: `${name} CPU per request, web server + PostgreSQL: PostgreSQL / SQLite`, value: ratio(serverAndDatabase, of), unit: "×" },
    );
  }
  const [first] = rows;
  if (first) {
    first.note =
      "PostgreSQL / SQLite: this build served twice, on SQLite files and with DATABASE_URL on a private PostgreSQL 15 on the same machine (durability on, connected over TCP on 127.0.0.1), the same demo tenant, 50 prompts and requests, each PostgreSQL run right after its SQLite counterpart in every round. CPU per request of the web server + PostgreSQL: on PostgreSQL the web server's plus every PostgreSQL process's (backends, WAL writer, checkpointer, autovacuum, and the worker's polling) over the same run; on SQLite the web server's alone, the database being a library inside it";
  }
  return rows;
}
