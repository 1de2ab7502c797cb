/**
 * `pnpm bench`: runs the default bench suites in order, prints one combined table and writes
 * bench/results/latest.{json,md} (untracked). Benchmarks measure, they do not assert: a missed
 * target is reported as "NO", not as a failure. The exit code is non-zero only when a suite crashed.
 *
 * `pnpm bench storage query` runs only the named suites; `control-plane` runs only when named
 * (10,000 tenants, several minutes). Options: `--tenants N`, `--list-input JSON` (see
 * lib/arguments.ts). `--write-docs` also rewrites the sections of docs/benchmarks.md of the suites
 * that ran; without it the docs are never touched.
 */
import { fileURLToPath } from "node:url";
import { commandLine, parseBenchArguments } from "./lib/arguments.ts";
import { cpuSnapshot, otherProcessesCpuPercent } from "./lib/cpu-share.ts";
import { writeDocsSections, type SuiteSection } from "./lib/docs-file.ts";
import { notesOf, textTable } from "./lib/format.ts";
import { machineFacts } from "./lib/machine.ts";
import { step } from "./lib/progress.ts";
import { writeResults } from "./lib/results-file.ts";
import { targetMet, type BenchRow, type BenchSuite } from "./lib/types.ts";
import { apiBenchmarks } from "./api.bench.ts";
import { controlPlaneBenchmarks } from "./control-plane.bench.ts";
import { httpBenchmarks } from "./http.bench.ts";
import { pgBenchmarks } from "./pg.bench.ts";
import { queryBenchmarks } from "./query.bench.ts";
import { rowSecurityBenchmarks } from "./row-security.bench.ts";
import { storageBenchmarks } from "./storage.bench.ts";

// To add a bench file (e.g. bench/api.bench.ts), import its suite and list it here.
const SUITES: Record<string, BenchSuite> = {
  storage: storageBenchmarks,
  pg: pgBenchmarks,
  query: queryBenchmarks,
  api: apiBenchmarks,
  http: httpBenchmarks,
  "row-security": rowSecurityBenchmarks,
  "control-plane": controlPlaneBenchmarks,
};
/** Suites that run only when named: too long for every `pnpm bench`. */
const ON_DEMAND = new Set(["control-plane"]);

const RESULTS_DIRECTORY = fileURLToPath(new URL("./results", import.meta.url));
const DOCS_FILE = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));

async function main(): Promise<void> {
  const started = performance.now();
  const cpuAtStart = cpuSnapshot();
  const machine = machineFacts();
  const args = process.argv.slice(2);
  const known = Object.keys(SUITES);
  const {
    suites: names,
    options,
    writeDocs,
  } = parseBenchArguments(
    args,
    known,
    known.filter((name) => !ON_DEMAND.has(name)),
  );
  const command = commandLine(args);
  step(`${command}: node ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverageAtStart}`);
  const rows: BenchRow[] = [];
  const sections: SuiteSection[] = [];
  const crashed: string[] = [];
  for (const name of names) {
    const suite = SUITES[name];
    if (!suite) continue;
    step(`suite ${name}`);
    try {
      const suiteRows = await suite(options);
      rows.push(...suiteRows);
      sections.push({ suite: name, rows: suiteRows });
    } catch (error) {
      // One broken suite must not hide the others' results.
      crashed.push(name);
      console.error(`Suite ${name} crashed:`, error);
    }
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const otherCpuPercent = otherProcessesCpuPercent(cpuAtStart, cpuSnapshot());

  console.log(`\nCommand: ${command}\n\n${textTable(rows)}\n`);
  for (const note of notesOf(rows)) console.log(`* ${note}`);
  const missed = rows.filter((row) => targetMet(row) === false).length;
  console.log(`\n${rows.length} rows, ${missed} target(s) missed, total ${totalSeconds.toFixed(1)} s.`);
  console.log(`Other processes used ${otherCpuPercent}% of the machine's CPU during the run (high values make numbers noisy).`);
  const written = writeResults(RESULTS_DIRECTORY, { command, machine, suites: names, crashedSuites: crashed, totalSeconds, otherCpuPercent, rows });
  console.log(`Results: ${written.join(", ")}`);
  if (writeDocs) {
    const updated = writeDocsSections(DOCS_FILE, sections, { command, machine, otherCpuPercent });
    console.log(`docs/benchmarks.md: rewrote the section(s) ${updated.join(", ")}`);
  }
  if (crashed.length > 0) {
    console.error(`Crashed suite(s): ${crashed.join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
