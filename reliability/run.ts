/**
 * `pnpm test:reliability` (full) and `pnpm test:reliability:short` (run by `pnpm test`): the
 * server-level reliability suite, against the production build started the way `pnpm start`
 * does. See reliability/README.md for what each scenario proves and how to read the summary.
 *
 * Options: --short (10 s load, short storms), --port N (default 3240; the suite uses this port and
 * the next, for its slow model server), --scenario load|crash|migration (repeatable; default all), --plant (plants a foreign row
 * and drops an acknowledged write before verifying: the run must fail), --rebuild, --seed N,
 * --postgres (a private PostgreSQL and --servers N app servers on it, default 2, behind a
 * round-robin proxy on --port; scenarios load and crash).
 * Exit code 1 on any lost write, cross-tenant row, 5xx, integrity failure or stuck execution.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeSigilConnections, createSigilClient } from "@sigil/client";
import { startPostgresServer } from "@sigil/db/bench";
import { Cluster } from "./lib/cluster.ts";
import { ensureBuild, Installation, ROOT, type Deployment } from "./lib/installation.ts";
import { postgresDatabase, sqliteFiles } from "./lib/storage.ts";
import { Ledger } from "./lib/ledger.ts";
import { table } from "./lib/report.ts";
import { createAnchors, createTenants } from "./lib/setup.ts";
import { startSlowModel } from "./lib/slow-model.ts";
import { compare } from "./lib/verify.ts";
import { seededRandom } from "./lib/workload.ts";
import type { ScenarioContext, ScenarioResult } from "./scenarios/context.ts";
import { crashScenario } from "./scenarios/crash.ts";
import { loadScenario } from "./scenarios/load.ts";
import { migrationScenario } from "./scenarios/migration.ts";

const { values } = parseArgs({
  options: {
    short: { type: "boolean", default: false },
    port: { type: "string", default: "3240" },
    scenario: { type: "string", multiple: true },
    plant: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
    seed: { type: "string" },
    tenants: { type: "string", default: "50" },
    "keep-data": { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    servers: { type: "string", default: "2" },
  },
});

const SCENARIOS = ["load", "crash", "migration"] as const;
type ScenarioName = (typeof SCENARIOS)[number];
const chosen = (values.scenario ?? (values.postgres ? ["load", "crash"] : [...SCENARIOS])) as ScenarioName[];
for (const name of chosen) {
  if (!SCENARIOS.includes(name)) {
    console.error(`--scenario must be one of ${SCENARIOS.join(", ")}; got ${JSON.stringify(name)}`);
    process.exit(2);
  }
}
if (values.postgres && chosen.includes("migration")) {
  console.error("--scenario migration deploys a folder of SQLite tenant migrations; it does not run with --postgres.");
  process.exit(2);
}
const serverCount = Number(values.servers);
if (!Number.isInteger(serverCount) || serverCount < 1 || serverCount > 8) {
  console.error("--servers must be a whole number from 1 to 8.");
  process.exit(2);
}
const port = Number(values.port);
const tenantCount = Number(values.tenants);
if (!Number.isInteger(port) || port < 1 || port > 65_535 || !Number.isInteger(tenantCount) || tenantCount < 2) {
  console.error("--port must be a port number and --tenants a whole number ≥ 2.");
  process.exit(2);
}
const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
const mode = values.short ? "short" : "full";
const timing = values.short ? { loadMs: 10_000, stormMs: 2_000, migrationPhaseMs: 2_500 } : { loadMs: 60_000, stormMs: 10_000, migrationPhaseMs: 10_000 };

/**
 * The verifier must be able to fail: a ledger with one acknowledged prompt, observed as missing,
 * plus a row named for another tenant, must give a lost write and a cross-tenant row.
 */
function selfCheck(): void {
  const ledger = new Ledger(
    [
      { index: 0, slug: "a", id: "a" },
      { index: 1, slug: "b", id: "b" },
    ],
    undefined,
  );
  ledger.promptCreated({ index: 0, slug: "a", id: "a" }, "p-a", "a/p1");
  const [a] = ledger.tenants;
  if (!a) throw new Error("self-check ledger");
  const kinds = compare(ledger, a, { prompts: [{ id: "x", name: "b/p9" }], executions: [] }, "file").map((f) => f.kind);
  if (!kinds.includes("lost-write") || !kinds.includes("cross-tenant-row")) {
    throw new Error(`The verifier does not see a planted foreign row and a dropped write (it found: ${kinds.join(", ") || "nothing"}).`);
  }
}

/** --plant: a row named for rel-00 written into rel-01, and an acknowledged prompt of rel-00 deleted behind the ledger's back. */
async function plant(ctx: ScenarioContext): Promise<string> {
  const [first, second] = ctx.tenants;
  if (!first || !second) throw new Error("--plant needs two tenants");
  const intruder = createSigilClient({ url: second.baseUrl, cookie: second.cookie });
  await intruder.prompts.create.mutate({ name: `${first.slug}/planted`, template: "planted" });
  const victim = [...ctx.ledger.of(first).prompts.values()].find((p) => p.deletion === "none" && !p.anchor);
  if (victim) await createSigilClient({ url: first.baseUrl, cookie: first.cookie }).prompts.delete.mutate({ id: victim.id });
  return `foreign row "${first.slug}/planted" in ${second.slug}; ${victim ? `prompt ${victim.id} of ${first.slug} deleted unlogged` : "no prompt to drop"}`;
}

/** The command that repeats this run (the package.json script when one matches). */
function commandLine(): string {
  if (values.postgres && values.short && serverCount === 2 && !values.plant) return "pnpm test:reliability:postgres:short";
  const flags = [values.plant ? " --plant" : "", values.postgres ? ` --postgres --servers ${serverCount}` : ""].join("");
  return `pnpm test:reliability${values.short ? ":short" : ""}${flags}`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return typeof error === "string" ? error : JSON.stringify(error);
}

async function main(): Promise<number> {
  selfCheck();
  const stamp = new Date().toISOString().replaceAll(":", "-").replace(/\..*/, "");
  const resultsDir = join(ROOT, "reliability", "results", `${stamp}-${mode}${values.plant ? "-planted" : ""}`);
  mkdirSync(resultsDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-reliability-"));
  const started = performance.now();
  const topology = values.postgres ? `PostgreSQL, ${serverCount} app servers behind a round-robin proxy` : "SQLite, one server";
  console.log(`Reliability suite (${mode}, ${topology}), seed ${seed}, port ${port}, data ${dataDir}, results ${resultsDir}`);
  const build = ensureBuild(values.rebuild);
  const postgres = values.postgres ? await startPostgresServer() : undefined;
  const installation: Deployment = postgres
    ? new Cluster({ port, members: serverCount, dataDir, logDir: resultsDir, databaseUrl: postgres.url })
    : new Installation({ dataDir, port, logDir: resultsDir });
  const storage = postgres ? postgresDatabase(postgres.url, join(dataDir, "verifier")) : sqliteFiles(dataDir);
  // Slow enough that a kill always finds executions running; in the short form, fast enough that
  // the storm's backlog drains in seconds (at 800 ms it took 24 s of the run's 3 minutes).
  const slowModel = await startSlowModel(port + 1, values.short ? 200 : 800);
  const results: ScenarioResult[] = [];
  let setupError: unknown;
  try {
    const first = await installation.start();
    console.log(`▶ Installation up in ${(first.ms / 1000).toFixed(1)} s; creating ${tenantCount} tenants…`);
    const setupStarted = performance.now();
    const made = await createTenants(installation, tenantCount, slowModel.url);
    const ledger = new Ledger(made, join(resultsDir, "acks.ndjson"));
    const tenants = await createAnchors(made, ledger);
    console.log(`  ${tenants.length} tenants with owner sessions and API keys in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
    const ctx: ScenarioContext = { installation, tenants, ledger, dataDir, storage, resultsDir, random: seededRandom(seed), concurrency: 12 };
    for (const name of chosen) {
      console.log(`▶ Scenario: ${name}`);
      const scenarioStarted = performance.now();
      const result =
        name === "load"
          ? await loadScenario(ctx, timing.loadMs, values.plant ? plant : undefined)
          : name === "crash"
            ? await crashScenario(ctx, timing.stormMs)
            : await migrationScenario(ctx, timing.migrationPhaseMs);
      result.figures.push(["scenario time", `${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`]);
      results.push(result);
      console.log(`  ${result.problems.length === 0 ? "passed" : `FAILED (${result.problems.length} problems)`}`);
    }
  } catch (error) {
    setupError = error;
  } finally {
    await installation.stop();
    await slowModel.close();
    await closeSigilConnections();
    await storage.close();
    postgres?.stop();
  }

  const lines = [
    `Sigil reliability suite: ${mode}, ${topology}, seed ${seed}, ${tenantCount} tenants, ${new Date().toISOString()}`,
    `command: ${commandLine()}; build ${build.built ? `made (${(build.ms / 1000).toFixed(0)} s)` : "reused"}`,
    "",
    table(
      ["scenario", "figure", "value"],
      results.flatMap((r) => r.figures.map(([figure, value], i) => [i === 0 ? r.name : "", figure, value])),
    ),
    "",
  ];
  const problems = results.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`));
  if (setupError !== undefined) problems.unshift(`the run stopped: ${describeError(setupError)}`);
  lines.push(
    problems.length === 0
      ? "VERDICT: passed (0 lost writes, 0 cross-tenant rows, 0 5xx, integrity ok, no stuck execution)"
      : `VERDICT: FAILED, ${problems.length} problems:`,
  );
  lines.push(...problems.slice(0, 40).map((p) => `  - ${p}`));
  if (problems.length > 40) lines.push(`  … ${problems.length - 40} more in summary.json`);
  lines.push(`total ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${resultsDir}`);
  const summary = lines.join("\n");
  console.log(`\n${summary}`);
  writeFileSync(join(resultsDir, "summary.txt"), `${summary}\n`);
  writeFileSync(join(resultsDir, "summary.json"), `${JSON.stringify({ mode, seed, tenantCount, results, problems }, null, 2)}\n`);
  for (const result of results) {
    const perTenant = result.details.perTenant;
    if (typeof perTenant === "string") writeFileSync(join(resultsDir, "migration-per-tenant.txt"), `${perTenant}\n`);
  }
  if (!values["keep-data"]) rmSync(dataDir, { recursive: true, force: true });
  return problems.length === 0 ? 0 : 1;
}

process.exit(await main());
