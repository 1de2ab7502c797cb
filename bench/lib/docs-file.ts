import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { markdownTable, notesOf } from "./format.ts";
import type { MachineFacts } from "./machine.ts";
import type { BenchRow } from "./types.ts";

/**
 * docs/benchmarks.md keeps one section per suite between `<!-- bench:NAME:start -->` and
 * `<!-- bench:NAME:end -->`. `pnpm bench … --write-docs` replaces the sections of the suites it
 * ran (and only those), so a figure in the docs always sits beside the command that produced it.
 * Running the bench without the flag never touches the docs.
 */
export interface SuiteSection {
  suite: string;
  rows: BenchRow[];
}

export interface DocsRun {
  command: string;
  machine: MachineFacts;
  otherCpuPercent: number;
}

function sectionBody(section: SuiteSection, run: DocsRun): string {
  const { machine } = run;
  const notes = notesOf(section.rows);
  return [
    "",
    `Command: \`${run.command}\` — ${machine.date.slice(0, 10)}, node ${machine.node}, ${machine.cores} cores (${machine.cpuModel}), load ${machine.loadAverageAtStart} at start, other processes ${run.otherCpuPercent}% of the CPU during the run.`,
    "",
    markdownTable(section.rows),
    "",
    ...(notes.length > 0 ? ["<details><summary>What each row measured</summary>", "", ...notes.map((note) => `- ${note}`), "", "</details>", ""] : []),
  ].join("\n");
}

export function writeDocsSections(path: string, sections: readonly SuiteSection[], run: DocsRun): string[] {
  let text = readFileSync(path, "utf8");
  const written: string[] = [];
  for (const section of sections) {
    const start = `<!-- bench:${section.suite}:start -->`;
    const end = `<!-- bench:${section.suite}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${path} has no ${start} … ${end} section; add one where the ${section.suite} table belongs.`);
    text = `${text.slice(0, from + start.length)}\n${sectionBody(section, run)}\n${text.slice(to)}`;
    written.push(section.suite);
  }
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return written;
}
