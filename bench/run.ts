/**
 * `pnpm bench`: runs every bench suite in order, prints one combined table and writes
 * bench/results/latest.{json,md}. Benchmarks measure, they do not assert: a missed target is
 * reported as "NO", not as a failure. The exit code is non-zero only when a suite crashed.
 *
 * `pnpm bench storage` runs only the named suites.
 */
import { fileURLToPath } from "node:url";
import { cpuSnapshot, otherProcessesCpuPercent } from "./lib/cpu-share.ts";
import { notesOf, textTable } from "./lib/format.ts";
import { machineFacts } from "./lib/machine.ts";
import { step } from "./lib/progress.ts";
import { writeResults } from "./lib/results-file.ts";
import { targetMet, type BenchRow, type BenchSuite } from "./lib/types.ts";
import { apiBenchmarks } from "./api.bench.ts";
import { httpBenchmarks } from "./http.bench.ts";
import { queryBenchmarks } from "./query.bench.ts";
import { storageBenchmarks } from "./storage.bench.ts";

// To add a bench file (e.g. bench/api.bench.ts), import its suite and list it here.
const SUITES: Record<string, BenchSuite> = {
  storage: storageBenchmarks,
  query: queryBenchmarks,
  api: apiBenchmarks,
  http: httpBenchmarks,
};

const RESULTS_DIRECTORY = fileURLToPath(new URL("./results", import.meta.url));

function selectedSuites(args: readonly string[]): string[] {
  const known = Object.keys(SUITES);
  const unknown = args.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`Unknown bench suite(s): ${unknown.join(", ")}. Known: ${known.join(", ")}.`);
  return args.length > 0 ? [...args] : known;
}

async function main(): Promise<void> {
  const started = performance.now();
  const cpuAtStart = cpuSnapshot();
  const machine = machineFacts();
  const names = selectedSuites(process.argv.slice(2));
  step(`node ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverageAtStart}`);
  const rows: BenchRow[] = [];
  const crashed: string[] = [];
  for (const name of names) {
    const suite = SUITES[name];
    if (!suite) continue;
    step(`suite ${name}`);
    try {
      rows.push(...(await suite()));
    } catch (error) {
      // One broken suite must not hide the others' results.
      crashed.push(name);
      console.error(`Suite ${name} crashed:`, error);
    }
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const otherCpuPercent = otherProcessesCpuPercent(cpuAtStart, cpuSnapshot());

  console.log(`\n${textTable(rows)}\n`);
  for (const note of notesOf(rows)) console.log(`* ${note}`);
  const missed = rows.filter((row) => targetMet(row) === false).length;
  console.log(`\n${rows.length} rows, ${missed} target(s) missed, total ${totalSeconds.toFixed(1)} s.`);
  console.log(`Other processes used ${otherCpuPercent}% of the machine's CPU during the run (high values make numbers noisy).`);
  const written = writeResults(RESULTS_DIRECTORY, { machine, suites: names, crashedSuites: crashed, totalSeconds, otherCpuPercent, rows });
  console.log(`Results: ${written.join(", ")}`);
  if (crashed.length > 0) {
    console.error(`Crashed suite(s): ${crashed.join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
