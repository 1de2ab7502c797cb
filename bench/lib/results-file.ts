import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { markdownTable, notesOf } from "./format.ts";
import type { MachineFacts } from "./machine.ts";
import { targetMet, type BenchRow } from "./types.ts";

export interface BenchRun {
  /** What to type to reproduce this run (bench/lib/arguments.ts). */
  command: string;
  machine: MachineFacts;
  suites: string[];
  /** Suites that threw; their rows are missing from this run. */
  crashedSuites: string[];
  totalSeconds: number;
  /** CPU share other processes took during the run (see cpu-share.ts). */
  otherCpuPercent: number;
  rows: BenchRow[];
}

/** Writes via a .tmp file and a rename, so an interrupted run never leaves half a results file. */
function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function markdownReport(run: BenchRun): string {
  const { machine } = run;
  const notes = notesOf(run.rows);
  return [
    "# Benchmark results",
    "",
    `Command: \`${run.command}\``,
    "",
    `- date: ${machine.date}`,
    `- node: ${machine.node}`,
    `- cpu: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM`,
    `- os: ${machine.os}; data in ${machine.tmpdir}`,
    `- load average at start: ${machine.loadAverageAtStart}; other processes used ${run.otherCpuPercent}% of the CPU during the run`,
    `- suites: ${run.suites.join(", ")}; total ${run.totalSeconds.toFixed(1)} s`,
    ...(run.crashedSuites.length > 0 ? [`- CRASHED: ${run.crashedSuites.join(", ")} (rows missing)`] : []),
    "",
    markdownTable(run.rows),
    "",
    ...(notes.length > 0 ? ["Notes:", "", ...notes.map((note) => `- ${note}`), ""] : []),
  ].join("\n");
}

export function writeResults(directory: string, run: BenchRun): string[] {
  mkdirSync(directory, { recursive: true });
  const json = { ...run, rows: run.rows.map((row) => ({ ...row, met: targetMet(row) ?? null })) };
  const jsonPath = join(directory, "latest.json");
  const markdownPath = join(directory, "latest.md");
  writeAtomically(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  writeAtomically(markdownPath, markdownReport(run));
  return [jsonPath, markdownPath];
}
