import { describe, expect, it } from "vitest";
import { postgresRatios, summarize, targetRows, type EngineTargets, type Run, type Summary, type SummaryOf, type Target } from "./rows.ts";

const PLAN = { connections: 10, seconds: 5, rounds: 3 };

function target(label: string, databaseCpuMs?: () => number): Target {
  return {
    label,
    base: "http://127.0.0.1:1",
    pid: 1,
    method: "GET",
    path: "/api/trpc/prompts.list?input=x",
    headers: {},
    ...(databaseCpuMs ? { databaseCpuMs } : {}),
  };
}

function engine(name: string, databaseCpuMs?: () => number): EngineTargets {
  return { read: target(`read, ${name}`, databaseCpuMs), write: target(`write, ${name}`, databaseCpuMs), page: target(`page, ${name}`, databaseCpuMs) };
}

function summary(values: Partial<Summary>): Summary {
  return { requestsPerSecond: 1, p50Ms: 1, p99Ms: 1, cpuMsPerRequest: 1, databaseCpuMsPerRequest: undefined, ...values };
}

const valueOf = (rows: readonly { benchmark: string; value: number }[], benchmark: string) => {
  const row = rows.find((candidate) => candidate.benchmark === benchmark);
  if (!row) throw new Error(`no row "${benchmark}" in ${rows.map((candidate) => candidate.benchmark).join("; ")}`);
  return row.value;
};

describe("summarize", () => {
  it("takes the median of each figure, and the database's CPU only when every run has it", () => {
    const runs: Run[] = [
      { requestsPerSecond: 900, p50Ms: 9, p99Ms: 40, cpuMsPerRequest: 1.5, databaseCpuMsPerRequest: 0.9 },
      { requestsPerSecond: 700, p50Ms: 12, p99Ms: 30, cpuMsPerRequest: 1.1, databaseCpuMsPerRequest: 0.5 },
      { requestsPerSecond: 800, p50Ms: 10, p99Ms: 20, cpuMsPerRequest: 1.2, databaseCpuMsPerRequest: 0.7 },
    ];
    expect(summarize(runs)).toEqual({ requestsPerSecond: 800, p50Ms: 10, p99Ms: 30, cpuMsPerRequest: 1.2, databaseCpuMsPerRequest: 0.7 });
    const [first, ...rest] = runs;
    expect(summarize([{ ...first, databaseCpuMsPerRequest: undefined } as Run, ...rest]).databaseCpuMsPerRequest).toBeUndefined();
  });

  it("refuses an empty list of runs", () => {
    expect(() => summarize([])).toThrow("no runs");
  });
});

describe("targetRows", () => {
  it("gives PostgreSQL's CPU per request only for a target served from PostgreSQL", () => {
    const sqlite = targetRows(target("read"), summary({ requestsPerSecond: 812, p50Ms: 10, p99Ms: 29, cpuMsPerRequest: 1.16 }), PLAN);
    expect(sqlite.map((row) => row.benchmark)).toEqual(["HTTP read: throughput", "HTTP read: p50 / p99 latency", "HTTP read: server CPU per request"]);
    expect(sqlite[0]?.note).toBe("HTTP read: GET /api/trpc/prompts.list, autocannon 10 connections × 5 s, median of 3 interleaved rounds");
    expect(sqlite[1]?.unit).toBe("ms p50 (p99 29.0 ms)");

    const postgres = targetRows(
      target("read, PostgreSQL", () => 0),
      summary({ databaseCpuMsPerRequest: 0.8 }),
      PLAN,
    );
    expect(valueOf(postgres, "HTTP read, PostgreSQL: PostgreSQL's CPU per request")).toBe(0.8);
  });
});

describe("postgresRatios", () => {
  const sqlite = engine("SQLite");
  const postgres = engine("PostgreSQL", () => 0);
  const summaries = new Map<Target, Summary>([
    [sqlite.read, summary({ requestsPerSecond: 800, p50Ms: 10, cpuMsPerRequest: 1.2 })],
    [postgres.read, summary({ requestsPerSecond: 320, p50Ms: 30, cpuMsPerRequest: 2.4, databaseCpuMsPerRequest: 1.2 })],
    [sqlite.write, summary({ requestsPerSecond: 760, p50Ms: 11, cpuMsPerRequest: 1.25 })],
    [postgres.write, summary({ requestsPerSecond: 190, p50Ms: 44, cpuMsPerRequest: 3.75, databaseCpuMsPerRequest: 2.5 })],
    [sqlite.page, summary({ requestsPerSecond: 80, p50Ms: 120, cpuMsPerRequest: 12.5 })],
    [postgres.page, summary({ requestsPerSecond: 40, p50Ms: 210, cpuMsPerRequest: 20, databaseCpuMsPerRequest: 5 })],
  ]);
  const summaryOf: SummaryOf = (of) => (of === undefined ? undefined : summaries.get(of));
  const rows = postgresRatios(sqlite, postgres, summaryOf);

  it("divides PostgreSQL's figure by SQLite's for throughput, latency and the web server's CPU", () => {
    expect(valueOf(rows, "read throughput: PostgreSQL / SQLite")).toBeCloseTo(0.4);
    expect(valueOf(rows, "read p50 latency: PostgreSQL / SQLite")).toBeCloseTo(3);
    expect(valueOf(rows, "read CPU per request, web server: PostgreSQL / SQLite")).toBeCloseTo(2);
    expect(valueOf(rows, "write throughput: PostgreSQL / SQLite")).toBeCloseTo(0.25);
    expect(valueOf(rows, "write p50 latency: PostgreSQL / SQLite")).toBeCloseTo(4);
    expect(valueOf(rows, "page throughput: PostgreSQL / SQLite")).toBeCloseTo(0.5);
    expect(valueOf(rows, "page p50 latency: PostgreSQL / SQLite")).toBeCloseTo(1.75);
  });

  it("adds PostgreSQL's own CPU on its side only: SQLite runs inside the web server", () => {
    expect(valueOf(rows, "read CPU per request, web server + PostgreSQL: PostgreSQL / SQLite")).toBeCloseTo((2.4 + 1.2) / 1.2);
    expect(valueOf(rows, "write CPU per request, web server + PostgreSQL: PostgreSQL / SQLite")).toBeCloseTo((3.75 + 2.5) / 1.25);
    expect(valueOf(rows, "page CPU per request, web server + PostgreSQL: PostgreSQL / SQLite")).toBeCloseTo(2);
  });

  it("explains the comparison once, under its first row, and gives NaN for a side that was not measured", () => {
    expect(rows.filter((row) => row.note !== undefined)).toHaveLength(1);
    expect(rows[0]?.note).toContain("each PostgreSQL run right after its SQLite counterpart");
    const partial = postgresRatios(sqlite, postgres, (of) => (of === postgres.page ? undefined : summaryOf(of)));
    expect(valueOf(partial, "page throughput: PostgreSQL / SQLite")).toBeNaN();
    expect(valueOf(partial, "read throughput: PostgreSQL / SQLite")).toBeCloseTo(0.4);
  });
});
