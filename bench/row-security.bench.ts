/**
 * The cost of row-level security (issue 13, benchmarks). A private PostgreSQL 15 (bench/lib/postgres.ts)
 * holds two databases built alike by @sigil/db/bench's prepareRowSecurityBench: the committed pg shared
 * migrations, 1,000 tenants × 5 users (each with a session and an API key, and a setting), one schema
 * per tenant, the roles and policies of packages/db/src/pg/row-security.ts; in the second the policies
 * are switched off again. The same tenant-scoped reads and writes run as the app role through
 * withTenantTransaction on both, side by side, and the table gives both throughputs, their ratio,
 * and a control ratio of the database without policies against itself (the noise floor).
 *
 * Skipped, with a message, where PostgreSQL is not installed. `--tenants N` changes the tenant count.
 */
import { prepareRowSecurityBench, ROW_SECURITY_OPERATIONS, type RowSecurityBench } from "@sigil/db/bench";
import { startBenchPostgres } from "./lib/postgres.ts";
import { step } from "./lib/progress.ts";
import type { BenchOptions, BenchRow } from "./lib/types.ts";
import { measureSideBySide, type SideBySide } from "./row-security/measure.ts";

const TENANTS = 1_000;
const USERS_PER_TENANT = 5;
/** Transactions in flight at once, one pool connection each: enough to keep both cores busy. */
const CONCURRENCY = 4;
const PLAN = { rounds: 9, perRound: 1_000, warmup: 1_000, concurrency: CONCURRENCY };

const ratios = (values: readonly number[]) => values.map((ratio) => ratio.toFixed(2)).join(", ");

function rowsOf(operation: string, result: SideBySide): BenchRow[] {
  const latency = (side: SideBySide["with"]) => `median ${Math.round(side.medianMicros)} µs, p99 ${Math.round(side.p99Micros)} µs`;
  return [
    {
      benchmark: `RLS: ${operation}, with policies`,
      value: result.with.opsPerSecond,
      unit: "ops/s",
      note: `one transaction per operation (BEGIN, set_config of search_path and sigil.tenant_id, the statement, COMMIT), ${CONCURRENCY} in flight; latency ${latency(result.with)}`,
    },
    {
      benchmark: `RLS: ${operation}, without policies`,
      value: result.without.opsPerSecond,
      unit: "ops/s",
      note: `the same on the database whose policies are switched off; latency ${latency(result.without)}`,
    },
    {
      benchmark: `RLS: ${operation}, throughput ratio (with / without)`,
      value: result.ratio,
      unit: "×",
      note: `the median of ${result.roundRatios.length} rounds' ratios, each round timing with, without and the control back to back, the run without in the middle: ${ratios(result.roundRatios)}`,
    },
    {
      benchmark: `RLS: ${operation}, control ratio (without / without again)`,
      value: result.controlRatio,
      unit: "×",
      note: `the database without policies timed twice in each round: what noise alone does to a ratio on this machine; rounds ${ratios(result.controlRoundRatios)}`,
    },
  ];
}

export async function rowSecurityBenchmarks(options: BenchOptions): Promise<BenchRow[]> {
  const server = await startBenchPostgres("row-security");
  if (!server) return [];
  const tenants = options.tenants ?? TENANTS;
  let bench: RowSecurityBench | undefined;
  try {
    step(`seeding two databases: ${tenants.toLocaleString("en-US")} tenants × ${USERS_PER_TENANT} users, with and without row-level security`);
    bench = await prepareRowSecurityBench(server.url, { tenants, usersPerTenant: USERS_PER_TENANT, connections: CONCURRENCY });
    const rows: BenchRow[] = [];
    for (const operation of ROW_SECURITY_OPERATIONS) {
      step(`${operation}: ${PLAN.rounds} rounds of ${PLAN.perRound.toLocaleString("en-US")} on each side, alternating`);
      rows.push(...rowsOf(operation, await measureSideBySide(bench, operation, PLAN)));
    }
    const first = rows[0];
    if (first) {
      first.note = `${first.note ?? ""}. Setup: ${tenants.toLocaleString("en-US")} tenants × ${USERS_PER_TENANT} users (one session, one API key and one setting each), one schema per tenant, on the test server's settings (fsync and synchronous_commit off: no commit waits for the disk, so the policies' share of a transaction, and the gap, is larger than on a durable server)`;
    }
    return rows;
  } finally {
    await bench?.close();
    server.stop();
  }
}
