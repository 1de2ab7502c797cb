/**
 * The seed's claim "smaller isolated databases query faster" (issue 8): the same list query (the
 * newest 50 prompts that take no files) over one tenant's own file, and over one shared table that
 * holds 1,000 tenants' rows with the same number of rows per tenant, tenant_id leading the index
 * (docs/architecture.md: Shared tables). Both files are built and queried with better-sqlite3 by
 * packages/db/bench/list-query.ts (only packages/db may open SQLite), with Sigil's pragmas.
 *
 * BENCH_QUERY_ROWS (default "100,1000") lists the rows per tenant to measure; 10000 builds a
 * 10-million-row shared table (~3 GB, minutes).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIsolatedPromptsFile, createSharedPromptsFile, listQueryPlan, listQuerySampler, type ListQuerySampler } from "@sigil/db/bench";
import { flushDisk } from "./lib/flush-disk.ts";
import { step } from "./lib/progress.ts";
import { percentile } from "./lib/stats.ts";
import type { BenchRow } from "./lib/types.ts";

const SHARED_TENANTS = 1000;
const WARMUP = 500;
const ROUNDS = 10;
const PER_ROUND = 300;
const PRAGMAS = { synchronous: "NORMAL" as const, busyTimeoutMs: 5000 };

function rowsPerTenant(): number[] {
  const raw = process.env.BENCH_QUERY_ROWS ?? "100,1000";
  const sizes = raw.split(",").map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 100)) throw new Error(`BENCH_QUERY_ROWS must list whole numbers ≥ 100 (got "${raw}")`);
  return sizes;
}

function sampleRound(sampler: ListQuerySampler, count: number, tenant: () => string | undefined, into: number[] | undefined): void {
  for (let index = 0; index < count; index += 1) {
    const { micros, rows } = sampler.sample(tenant());
    if (rows !== 50) throw new Error(`the list query returned ${rows} rows instead of 50`);
    into?.push(micros);
  }
}

function fileSize(path: string): string {
  const bytes = statSync(path).size;
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

async function measureSize(root: string, rows: number): Promise<BenchRow[]> {
  const isolatedPath = join(root, `isolated-${rows}.sqlite`);
  const sharedPath = join(root, `shared-${rows}.sqlite`);
  step(`building one tenant file with ${rows.toLocaleString("en-US")} prompts and a shared table with ${SHARED_TENANTS} × ${rows.toLocaleString("en-US")}`);
  createIsolatedPromptsFile(isolatedPath, rows);
  const tenantIds = createSharedPromptsFile(sharedPath, SHARED_TENANTS, rows);
  flushDisk();
  const isolated = listQuerySampler(isolatedPath, "isolated", PRAGMAS);
  const shared = listQuerySampler(sharedPath, "shared", PRAGMAS);
  const randomTenant = () => tenantIds[Math.floor(Math.random() * tenantIds.length)];
  const oneTenant = () => tenantIds[0];
  const isolatedMicros: number[] = [];
  const sharedMicros: number[] = [];
  const sharedOneMicros: number[] = [];
  try {
    sampleRound(isolated, WARMUP, () => undefined, undefined);
    sampleRound(shared, WARMUP, randomTenant, undefined);
    // Alternating rounds: a slow spell of the machine hits every variant alike.
    for (let round = 0; round < ROUNDS; round += 1) {
      sampleRound(isolated, PER_ROUND, () => undefined, isolatedMicros);
      sampleRound(shared, PER_ROUND, randomTenant, sharedMicros);
      sampleRound(shared, PER_ROUND, oneTenant, sharedOneMicros);
    }
  } finally {
    isolated.close();
    shared.close();
  }
  const size = `${rows.toLocaleString("en-US")} prompts per tenant`;
  const n = ROUNDS * PER_ROUND;
  const p50 = (samples: number[]) => percentile(samples, 50);
  const rowsOut: BenchRow[] = [
    {
      benchmark: `list query, ${size}: isolated file (1 tenant): p50`,
      value: p50(isolatedMicros),
      unit: "µs",
      note: `newest 50 prompts with accepts_files = 0, prepared statement, n=${n}; file ${fileSize(isolatedPath)}; plan: ${listQueryPlan(isolatedPath, "isolated")}`,
    },
    { benchmark: `list query, ${size}: isolated file (1 tenant): p99`, value: percentile(isolatedMicros, 99), unit: "µs" },
    {
      benchmark: `list query, ${size}: shared table (${SHARED_TENANTS.toLocaleString("en-US")} tenants), random tenant: p50`,
      value: p50(sharedMicros),
      unit: "µs",
      note: `same query + tenant_id = ?, a random tenant each call, rows written in time order across tenants; file ${fileSize(sharedPath)}; plan: ${listQueryPlan(sharedPath, "shared")}`,
    },
    {
      benchmark: `list query, ${size}: shared table (${SHARED_TENANTS.toLocaleString("en-US")} tenants), random tenant: p99`,
      value: percentile(sharedMicros, 99),
      unit: "µs",
    },
    { benchmark: `list query, ${size}: shared table, same tenant every call: p50`, value: p50(sharedOneMicros), unit: "µs" },
    { benchmark: `list query, ${size}: shared table, same tenant every call: p99`, value: percentile(sharedOneMicros, 99), unit: "µs" },
    {
      benchmark: `list query, ${size}: shared (random tenant) / isolated, p50`,
      value: p50(sharedMicros) / p50(isolatedMicros),
      unit: "×",
      note: "above 1: the isolated file answers faster",
    },
  ];
  rmSync(isolatedPath, { force: true });
  rmSync(sharedPath, { force: true });
  return rowsOut;
}

export async function queryBenchmarks(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-query-"));
  try {
    const rows: BenchRow[] = [];
    for (const size of rowsPerTenant()) rows.push(...(await measureSize(root, size)));
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
    flushDisk();
  }
}
