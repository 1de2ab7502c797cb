/**
 * Control plane at scale (issue 8): with N tenants (default 10,000; `--tenants N`), the admin
 * procedures and the execution worker, called the way the server calls them (the API's fetch
 * handler in this process, bench/lib/trpc-call.ts; the worker's runOnce and start):
 * 1. `tenants.list` (one page: the procedure's default input, or `--list-input JSON`) p50/p99;
 * 2. `admin.stats` p50/p99;
 * 3. the admin overview load (both at once): wall time and the longest event-loop block;
 * 4. an idle worker tick: wall and CPU time, SQLite files opened;
 * 5. pickup latency of a new execution with the worker polling.
 * Tenants are provisioned by a BENCH SHORTCUT (control-plane/provision.ts): one real tenant, whose
 * file and shared rows are copied N − 1 times. Not part of the default `pnpm bench`: run
 * `pnpm bench control-plane` (10,000 tenants) or `pnpm bench control-plane --tenants 1000`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecutionWorker } from "@sigil/api";
import { HybridDatabaseManager } from "@sigil/db";
import { idleTick, overviewLoad, pickupLatencies, sampleWithin, timedCall, type Budget } from "./control-plane/measure.ts";
import { ADMIN_EMAIL, ADMIN_PASSWORD, cloneWorkTenant, createSystemAdmin, createWorkTenant } from "./control-plane/provision.ts";
import { flushDisk } from "./lib/flush-disk.ts";
import { step } from "./lib/progress.ts";
import { median, percentile } from "./lib/stats.ts";
import { callProcedure, cookieFrom, type CallOptions } from "./lib/trpc-call.ts";
import type { BenchOptions, BenchRow } from "./lib/types.ts";

const DEFAULT_TENANTS = 10_000;
const QUERY_BUDGET: Budget = { samples: 100, minimum: 3, budgetMs: 30_000 };
const OVERVIEW_BUDGET: Budget = { samples: 20, minimum: 3, budgetMs: 30_000 };
const TICK_BUDGET: Budget = { samples: 50, minimum: 3, budgetMs: 30_000 };
const PICKUP_BUDGET: Budget = { samples: 30, minimum: 5, budgetMs: 60_000 };

function p50p99(label: string, unit: string, values: readonly number[], target: number | undefined, note: string): BenchRow[] {
  return [
    { benchmark: `${label}: p50`, value: median(values), unit, note: `${note}; n=${values.length}` },
    {
      benchmark: `${label}: p99`,
      value: percentile(values, 99),
      unit,
      ...(target === undefined ? {} : { target: { comparison: "<=" as const, value: target } }),
    },
  ];
}

async function signInAdmin(): Promise<CallOptions> {
  const host = "admin.localhost";
  const login = await callProcedure("mutation", "admin.login", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }, { host });
  return { host, cookie: cookieFrom(login.setCookies, "sigil_admin_session") };
}

async function measure(total: number, listInput: unknown): Promise<BenchRow[]> {
  await createSystemAdmin();
  const work = await createWorkTenant();
  const manager = HybridDatabaseManager.getInstance();
  const tenantIds = [work.tenant.id, ...cloneWorkTenant(manager, work, total - 1)];
  flushDisk();
  const admin = await signInAdmin();
  const size = `${total.toLocaleString("en-US")} tenants`;
  const rows: BenchRow[] = [];

  const list = await sampleWithin(QUERY_BUDGET, "tenants.list", () => timedCall("query", "tenants.list", listInput, admin));
  rows.push(
    ...p50p99(`tenants.list page, ${size}`, "ms", list, 50, `input ${JSON.stringify(listInput)}, through the API's fetch handler with an admin session`),
  );
  const stats = await sampleWithin(QUERY_BUDGET, "admin.stats", () => timedCall("query", "admin.stats", undefined, admin));
  rows.push(...p50p99(`admin.stats, ${size}`, "ms", stats, 50, "through the API's fetch handler with an admin session"));

  const overviews: { wallMs: number; longestBlockMs: number }[] = [];
  await sampleWithin(OVERVIEW_BUDGET, "admin overview load (event-loop probe)", async () => {
    const load = await overviewLoad(admin, listInput);
    overviews.push(load);
    return load.wallMs;
  });
  rows.push({
    benchmark: `admin overview load (admin.stats + tenants.list at once), ${size}: longest event-loop block`,
    value: Math.max(...overviews.map((load) => load.longestBlockMs)),
    unit: "ms",
    target: { comparison: "<=", value: 50 },
    note: `max over ${overviews.length} loads of perf_hooks monitorEventLoopDelay (5 ms resolution): how long any other request would have waited`,
  });
  rows.push({ benchmark: `admin overview load, ${size}: wall time p50`, value: median(overviews.map((load) => load.wallMs)), unit: "ms" });

  const ticks: { wallMs: number; cpuMs: number; opened: number }[] = [];
  const idleWorker = new ExecutionWorker();
  // The first tick may find work the provisioning left (e.g. a first lease check); it is not idle yet.
  await idleWorker.runOnce();
  await sampleWithin(TICK_BUDGET, "idle worker ticks", async () => {
    const tick = await idleTick(idleWorker, manager, tenantIds);
    ticks.push(tick);
    return tick.wallMs;
  });
  rows.push(
    {
      benchmark: `idle worker tick, ${size}: SQLite files opened (max)`,
      value: Math.max(...ticks.map((tick) => tick.opened)),
      unit: "files",
      target: { comparison: "<=", value: 0 },
      note: `ExecutionWorker.runOnce with nothing pending, after one settling tick; connections opened by openSqlite during the tick, every tenant handle closed before it (so each tenant file the tick touches counts), n=${ticks.length}`,
    },
    { benchmark: `idle worker tick, ${size}: CPU p50`, value: median(ticks.map((tick) => tick.cpuMs)), unit: "ms", target: { comparison: "<=", value: 1 } },
    { benchmark: `idle worker tick, ${size}: wall p50`, value: median(ticks.map((tick) => tick.wallMs)), unit: "ms" },
  );

  const pickups = await pickupLatencies(work, PICKUP_BUDGET);
  rows.push(
    {
      benchmark: `pickup latency of a new execution, ${size}: p50`,
      value: median(pickups),
      unit: "ms",
      target: { comparison: "<=", value: 100 },
      note: `executions.create (API key) at a random moment → the worker's outcome event; idle worker woken by the signal file (it polls nothing); template provider; n=${pickups.length}`,
    },
    { benchmark: `pickup latency of a new execution, ${size}: p99`, value: percentile(pickups, 99), unit: "ms" },
  );
  return rows;
}

export async function controlPlaneBenchmarks(options: BenchOptions): Promise<BenchRow[]> {
  const total = options.tenants ?? DEFAULT_TENANTS;
  if (!Number.isInteger(total) || total < 2) throw new Error(`--tenants must be a whole number ≥ 2 (got ${total})`);
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-control-"));
  // The admin procedures and the worker use the process-wide manager.
  const manager = HybridDatabaseManager.configure({ dataDir: join(root, "data") });
  flushDisk();
  try {
    await manager.runSharedMigrations();
    step(`data in ${root}; ${total.toLocaleString("en-US")} tenants`);
    return await measure(total, options.listInput ?? {});
  } finally {
    manager.close();
    step(`removing ${root}`);
    rmSync(root, { recursive: true, force: true });
    flushDisk();
  }
}
