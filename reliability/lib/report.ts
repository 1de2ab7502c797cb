/** Figures of a run: latency percentiles, failures by reason, and the summary table. */
import type { RequestRecord } from "./workload.ts";

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export interface LoadFigures {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  status5xx: number;
  noAnswer: number;
  failures: number;
  byOperation: Record<string, { count: number; p50Ms: number; p99Ms: number; failures: number }>;
  failureSamples: string[];
}

export function loadFigures(records: readonly RequestRecord[], durationMs: number): LoadFigures {
  const answered = records.filter((r) => typeof r.status === "number");
  const latencies = answered.map((r) => r.endedAt - r.startedAt).sort((a, b) => a - b);
  const byOperation: LoadFigures["byOperation"] = {};
  for (const op of new Set(records.map((r) => r.op))) {
    const own = records.filter((r) => r.op === op);
    const ms = own
      .filter((r) => typeof r.status === "number")
      .map((r) => r.endedAt - r.startedAt)
      .sort((a, b) => a - b);
    byOperation[op] = { count: own.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), failures: own.filter((r) => r.failure).length };
  }
  const failing = records.filter((r) => r.failure !== undefined);
  return {
    requests: records.length,
    perSecond: records.length / (durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    status5xx: records.filter((r) => typeof r.status === "number" && r.status >= 500).length,
    noAnswer: records.length - answered.length,
    failures: failing.length,
    byOperation,
    failureSamples: [...new Set(failing.map((r) => `${r.op} ${r.tenant}: ${r.failure ?? ""}`))].slice(0, 10),
  };
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms` : "–";
}

/** A plain-text table with aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
