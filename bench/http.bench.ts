/**
 * HTTP benchmark (`pnpm bench http`): the production server `pnpm start` runs, on 127.0.0.1, under
 * autocannon. The same procedures through three paths of the same server process, interleaved
 * round by round so a noisy machine hits them alike:
 *
 * - `lean`: the web server's API path (apps/web/server.ts → packages/api/src/http/node-handler.ts);
 * - `next route`: the same tRPC handler inside a Next route handler (the way the API was served
 *   before; kept only as this baseline, apps/web/src/app/api/bench-next-route);
 * - `bare`: the read without the tenancy layer (tenant cached by slug, no identification, no
 *   registry lookup, no tenant context; packages/api/src/http/baseline.ts), on the lean path.
 *
 * For each: throughput, p50 / p99 latency, and the web server's CPU time per request (from
 * /proc, the steadier figure on a shared machine). A page (`/prompts`, server-rendered) is
 * measured the same way. Before the load, at rest: resident memory and CPU of every process
 * `pnpm start` runs; after it, how much memory the web server kept.
 *
 * Optional baselines on other servers, each measured right after its counterpart in every round:
 * `--against REF`, another commit of Sigil started by its own `pnpm start` (bench/http/server.ts),
 * `--hypersigil DIR`, single-tenant hypersigil's backend (bench/http/hypersigil.ts), and
 * `--postgres`, this build started a second time with `DATABASE_URL` on a private PostgreSQL
 * (durable, like the SQLite files): the same read, write and page on both engines.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createSigilClient, signIn } from "@sigil/client";
import autocannon from "autocannon";
import superjson from "superjson";
import { startHypersigil, type HypersigilServer } from "./http/hypersigil.ts";
import { startProductionServer, startRelease, type ProductionServer, type ReleaseServer } from "./http/server.ts";
import { postgresRatios, ratioOf, summarize, targetRows, type EngineTargets, type LoadPlan, type Run, type SummaryOf, type Target } from "./http/rows.ts";
import { startBenchPostgres, type BenchPostgres } from "./lib/postgres.ts";
import { cpuMs, rssBytes } from "./lib/processes.ts";
import { step } from "./lib/progress.ts";
import type { BenchOptions, BenchRow } from "./lib/types.ts";

const PORT = Number(process.env.BENCH_HTTP_PORT ?? 3230);
const DURATION_S = 5;
const WARMUP_S = 2;
const CONNECTIONS = 10;
const ROUNDS = 5;
const IDLE_S = 10;
const IDLE_REST_S = 15;
const AFTER_LOAD_REST_S = 60;
const MIB = 1024 * 1024;
const PLAN: LoadPlan = { connections: CONNECTIONS, seconds: DURATION_S, rounds: ROUNDS };

async function load(target: Target, seconds: number): Promise<Run> {
  const cpuBefore = cpuMs(target.pid);
  const databaseCpuBefore = target.databaseCpuMs?.();
  const result = await autocannon({
    url: `${target.base}${target.path}`,
    method: target.method,
    headers: target.headers,
    ...(target.body === undefined ? {} : { body: target.body }),
    connections: CONNECTIONS,
    duration: seconds,
  });
  const cpu = cpuMs(target.pid) - cpuBefore;
  const databaseCpu = databaseCpuBefore === undefined ? undefined : (target.databaseCpuMs?.() ?? Number.NaN) - databaseCpuBefore;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.label}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  const requests = Math.max(1, result.requests.total);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsPerRequest: cpu / requests,
    ...(databaseCpu === undefined ? {} : { databaseCpuMsPerRequest: databaseCpu / requests }),
  };
}

/** One request, which must succeed (the warm-up before the idle figures: every path's code loaded). */
async function once(target: Target): Promise<void> {
  const response = await fetch(`${target.base}${target.path}`, {
    method: target.method,
    headers: target.headers,
    ...(target.body === undefined ? {} : { body: target.body }),
  });
  if (!response.ok) throw new Error(`${target.label}: HTTP ${response.status}`);
  await response.arrayBuffer();
}

interface SigilTargets {
  leanRead: Target;
  nextRead: Target;
  bareRead: Target;
  leanWrite: Target;
  nextWrite: Target;
  page: Target;
}

/** The demo tenant with 50 prompts, an API key that reads them, and a signed-in owner. */
async function prepareTargets(base: string, pid: number, databaseCpuMs?: () => number): Promise<SigilTargets> {
  const { cookie } = await signIn({ url: base, tenant: "acme", email: "owner@acme.test", password: "acme-demo-password" });
  const owner = createSigilClient({ url: base, tenant: "acme", cookie });
  let first = "";
  for (let i = 0; i < 50; i += 1) {
    const prompt = await owner.prompts.create.mutate({ name: `Bench prompt ${i}`, template: `Hello {{name}} #${i}` });
    first ||= prompt.id;
  }
  const { plainKey } = await owner.apiKeys.create.mutate({ name: "bench", scopes: ["prompts:read"] });
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ page: 1, pageSize: 20 })));
  const byKey = { "x-tenant-id": "acme", authorization: `Bearer ${plainKey}` };
  // A browser's write: the session cookie, and an Origin naming the host it was sent to.
  const bySession = { "x-tenant-id": "acme", cookie, origin: base, "content-type": "application/json" };
  const write = JSON.stringify(superjson.serialize({ id: first, description: "Edited by the HTTP benchmark" }));
  const at = { base, pid, ...(databaseCpuMs === undefined ? {} : { databaseCpuMs }) };
  return {
    leanRead: { ...at, label: "read, lean API path", method: "GET", path: `/api/trpc/prompts.list?input=${input}`, headers: byKey },
    nextRead: { ...at, label: "read, Next route handler", method: "GET", path: `/api/bench-next-route/trpc/prompts.list?input=${input}`, headers: byKey },
    bareRead: { ...at, label: "read, bare (no tenancy layer)", method: "GET", path: `/api/bench-baseline/promptsList?input=${input}`, headers: byKey },
    leanWrite: { ...at, label: "write, lean API path", method: "POST", path: "/api/trpc/prompts.update", headers: bySession, body: write },
    nextWrite: {
      ...at,
      label: "write, Next route handler",
      method: "POST",
      path: "/api/bench-next-route/trpc/prompts.update",
      headers: bySession,
      body: write,
    },
    page: { ...at, label: "page /tenant/acme/prompts", method: "GET", path: "/tenant/acme/prompts", headers: { cookie } },
  };
}

/** The processes `pnpm start` leaves running, by what they do. */
function processesOf(pids: ProductionServer["pids"]): { name: string; pid: number }[] {
  return [
    { name: "launcher (scripts/start.mjs)", pid: pids.launcher },
    { name: "web server (pages + API)", pid: pids.web },
    { name: "worker", pid: pids.worker },
  ];
}

/**
 * Resident memory and CPU of each process while nothing is asked of them, after every path
 * was served once (so the pages' code is loaded): the targets' idle.
 */
async function idleRows(pids: ProductionServer["pids"]): Promise<BenchRow[]> {
  const processes = processesOf(pids);
  // After start-up, V8 collects the garbage of loading for a few seconds (the worker's 60–80 ms).
  await sleep(IDLE_REST_S * 1_000);
  const cpuBefore = processes.map(({ pid }) => cpuMs(pid));
  step(`at rest for ${IDLE_S} s: memory and CPU of each process`);
  await sleep(IDLE_S * 1_000);
  const rows: BenchRow[] = [];
  let total = 0;
  processes.forEach(({ name, pid }, index) => {
    const rss = rssBytes(pid) / MIB;
    total += rss;
    rows.push({
      benchmark: `idle RSS: ${name}`,
      value: rss,
      unit: "MiB",
      ...(name === "worker" ? { target: { comparison: "<=", value: 100 } as const } : {}),
    });
    rows.push({ benchmark: `idle CPU over ${IDLE_S} s: ${name}`, value: cpuMs(pid) - (cpuBefore[index] ?? 0), unit: "ms" });
  });
  rows.push({
    benchmark: "idle RSS: everything `pnpm start` runs",
    value: total,
    unit: "MiB",
    target: { comparison: "<=", value: 350 },
    note: `idle RSS: VmRSS after every path below was served once and ${IDLE_REST_S} s of rest, before the load. \`pnpm start\` typed in a terminal adds pnpm's own process (about 40 MiB), which only waits for the launcher.`,
  });
  return rows;
}

/** The same after the load: V8 keeps the heap the page renders grew for a while, then gives it back. */
async function afterLoadRows(pids: ProductionServer["pids"]): Promise<BenchRow[]> {
  const web = pids.web;
  const rows: BenchRow[] = [{ benchmark: "web server RSS right after the load", value: rssBytes(web) / MIB, unit: "MiB" }];
  step(`${AFTER_LOAD_REST_S} s of rest after the load`);
  await sleep(AFTER_LOAD_REST_S * 1_000);
  const total = processesOf(pids).reduce((sum, { pid }) => sum + rssBytes(pid), 0) / MIB;
  rows.push(
    { benchmark: `web server RSS ${AFTER_LOAD_REST_S} s after the load`, value: rssBytes(web) / MIB, unit: "MiB" },
    { benchmark: `RSS of everything ${AFTER_LOAD_REST_S} s after the load`, value: total, unit: "MiB" },
  );
  return rows;
}

/** The same read and page on another commit (`--against REF`), each paired with this one's. */
async function releaseTargets(release: ReleaseServer, base: string, ours: SigilTargets): Promise<{ read: Target; page: Target }> {
  const theirs = await prepareTargets(base, release.webPid);
  return {
    read: { ...theirs.leanRead, label: `read, ${release.label}`, pairedWith: ours.leanRead },
    page: { ...theirs.page, label: `page /tenant/acme/prompts, ${release.label}`, pairedWith: ours.page },
  };
}

/** The same read, write and page on this build served from PostgreSQL (`--postgres`), each paired with SQLite's. */
async function postgresTargets(base: string, pid: number, postgres: BenchPostgres, ours: SigilTargets): Promise<EngineTargets> {
  const theirs = await prepareTargets(base, pid, () => postgres.cpuMs());
  return {
    read: { ...theirs.leanRead, label: "read, lean API path, PostgreSQL", pairedWith: ours.leanRead },
    write: { ...theirs.leanWrite, label: "write, lean API path, PostgreSQL", pairedWith: ours.leanWrite },
    page: { ...theirs.page, label: "page /tenant/acme/prompts, PostgreSQL", pairedWith: ours.page },
  };
}

function hypersigilTarget(server: HypersigilServer, ours: SigilTargets): Target {
  return {
    label: `read, ${server.label} (single tenant, Express)`,
    base: server.base,
    pid: server.pid,
    method: "GET",
    path: server.listPath,
    headers: server.headers,
    pairedWith: ours.leanRead,
  };
}

/** Each target, with the targets paired with it right after it. */
function interleaved(targets: readonly Target[]): Target[] {
  return targets.filter((target) => target.pairedWith === undefined).flatMap((target) => [target, ...targets.filter((other) => other.pairedWith === target)]);
}

function releaseRatios(label: string, ours: SigilTargets, release: { read: Target; page: Target }, summaryOf: SummaryOf): BenchRow[] {
  return [
    {
      benchmark: `read throughput: lean path / ${label}`,
      value: ratioOf(summaryOf, ours.leanRead, release.read, (summary) => summary.requestsPerSecond),
      unit: "×",
      target: { comparison: ">=", value: 2 },
      note: `vs ${label}: the same read and page on that commit, built and started by its own \`pnpm start\` in a git worktree, served side by side and interleaved with this one's; targets ≥ 2× the read's throughput, and the page's unchanged or faster (≥ 0.95, the noise of one run)`,
    },
    {
      benchmark: `read CPU per request: lean path / ${label}`,
      value: ratioOf(summaryOf, ours.leanRead, release.read, (summary) => summary.cpuMsPerRequest),
      unit: "×",
    },
    {
      benchmark: `page throughput: this commit / ${label}`,
      value: ratioOf(summaryOf, ours.page, release.page, (summary) => summary.requestsPerSecond),
      unit: "×",
      target: { comparison: ">=", value: 0.95 },
    },
  ];
}

function hypersigilRatios(server: HypersigilServer, ours: SigilTargets, theirs: Target, summaryOf: SummaryOf): BenchRow[] {
  return [
    {
      benchmark: `read CPU per request: Sigil's lean path / ${server.label}`,
      value: ratioOf(summaryOf, ours.leanRead, theirs, (summary) => summary.cpuMsPerRequest),
      unit: "×",
      target: { comparison: "<=", value: 1 },
      note: `vs ${server.label}: its backend (bench/http/build-hypersigil.sh) on its own port with the same 50 prompts, its list (first 20, newest first) read with its sign-in token, interleaved with Sigil's API-key read; its one log line per request goes to /dev/null. Target: an API call through Sigil's tenancy layer costs no more CPU than the same call in single-tenant hypersigil`,
    },
    {
      benchmark: `read throughput: Sigil's lean path / ${server.label}`,
      value: ratioOf(summaryOf, ours.leanRead, theirs, (summary) => summary.requestsPerSecond),
      unit: "×",
    },
  ];
}

export async function httpBenchmarks(options: BenchOptions): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-http-"));
  const server = await startProductionServer(join(root, "data"), PORT);
  let release: ReleaseServer | undefined;
  let hypersigil: HypersigilServer | undefined;
  let postgres: BenchPostgres | undefined;
  let onPostgres: ProductionServer | undefined;
  try {
    const ours = await prepareTargets(`http://127.0.0.1:${PORT}`, server.pids.web);
    const targets: Target[] = [ours.leanRead, ours.nextRead, ours.bareRead, ours.leanWrite, ours.nextWrite, ours.page];
    for (const target of targets) await once(target);
    const idle = await idleRows(server.pids);
    let releaseTargetsOf: { read: Target; page: Target } | undefined;
    if (options.against !== undefined) {
      release = await startRelease(options.against, join(root, "release-data"), PORT + 2);
      releaseTargetsOf = await releaseTargets(release, `http://127.0.0.1:${PORT + 2}`, ours);
      targets.push(releaseTargetsOf.read, releaseTargetsOf.page);
    }
    let postgresTargetsOf: EngineTargets | undefined;
    if (options.postgres === true) {
      postgres = await startBenchPostgres("http --postgres", { durable: true });
      if (postgres) {
        onPostgres = await startProductionServer(join(root, "pg-data"), PORT + 6, { env: { DATABASE_URL: postgres.url }, skipBuild: true });
        postgresTargetsOf = await postgresTargets(`http://127.0.0.1:${PORT + 6}`, onPostgres.pids.web, postgres, ours);
        targets.push(postgresTargetsOf.read, postgresTargetsOf.write, postgresTargetsOf.page);
      }
    }
    let hypersigilRead: Target | undefined;
    if (options.hypersigil !== undefined) {
      hypersigil = await startHypersigil(options.hypersigil, join(root, "hypersigil"), PORT + 4);
      hypersigilRead = hypersigilTarget(hypersigil, ours);
      targets.push(hypersigilRead);
    }
    step(`warming up each path (${WARMUP_S} s), then ${ROUNDS} interleaved rounds of ${DURATION_S} s × ${CONNECTIONS} connections`);
    for (const target of targets) await load(target, WARMUP_S);
    const runs = new Map<Target, Run[]>(targets.map((target) => [target, []]));
    // Another server's counterpart right after this one's path, so the two sides of a comparison
    // always meet the machine in the same state.
    const schedule = interleaved(targets);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const target of schedule) runs.get(target)?.push(await load(target, DURATION_S));
    }
    await release?.stop();
    await hypersigil?.stop();
    await onPostgres?.stop();
    postgres?.stop();
    const afterLoad = await afterLoadRows(server.pids);
    const summaries = new Map(targets.map((target) => [target, summarize(runs.get(target) ?? [])]));
    const summaryOf: SummaryOf = (target) => (target === undefined ? undefined : summaries.get(target));
    const ratios: BenchRow[] = [
      {
        benchmark: "API-key prompts.list, lean path: server CPU per request",
        value: summaryOf(ours.leanRead)?.cpuMsPerRequest ?? Number.NaN,
        unit: "ms",
        target: { comparison: "<=", value: 1.0 },
        note: "target: the lean path's CPU per request ≤ 1.0 ms (single-tenant hypersigil's Express server measured 1.15 ms for its own prompt list when this target was set; `--hypersigil DIR` measures it in the same run)",
      },
      {
        benchmark: "read throughput: lean path / Next route handler",
        value: ratioOf(summaryOf, ours.leanRead, ours.nextRead, (summary) => summary.requestsPerSecond),
        unit: "×",
        note: "lean path / Next route handler: both in this build, so this isolates what the route-handler machinery costs; the throughput target (≥ 2× what `pnpm start` served before the lean path) is measured against that release itself with `--against 11716ce`",
      },
      {
        benchmark: "write throughput: lean path / Next route handler",
        value: ratioOf(summaryOf, ours.leanWrite, ours.nextWrite, (summary) => summary.requestsPerSecond),
        unit: "×",
      },
      {
        benchmark: "read CPU per request: tenancy layer / bare (lean path)",
        value: ratioOf(summaryOf, ours.leanRead, ours.bareRead, (summary) => summary.cpuMsPerRequest),
        unit: "×",
      },
      ...(release && releaseTargetsOf ? releaseRatios(release.label, ours, releaseTargetsOf, summaryOf) : []),
      ...(hypersigil && hypersigilRead ? hypersigilRatios(hypersigil, ours, hypersigilRead, summaryOf) : []),
      ...(postgresTargetsOf ? postgresRatios({ read: ours.leanRead, write: ours.leanWrite, page: ours.page }, postgresTargetsOf, summaryOf) : []),
    ];
    const targetTable = targets.flatMap((target) => {
      const summary = summaries.get(target);
      return summary ? targetRows(target, summary, PLAN) : [];
    });
    return [...ratios, ...targetTable, ...idle, ...afterLoad];
  } finally {
    await release?.stop();
    await hypersigil?.stop();
    await onPostgres?.stop();
    postgres?.stop();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
