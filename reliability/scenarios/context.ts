import type { Installation } from "../lib/installation.ts";
import type { Ledger } from "../lib/ledger.ts";
import type { LoadTenant } from "../lib/workload.ts";

/** What every scenario gets: the running installation, its tenants and the shared ledger. */
export interface ScenarioContext {
  installation: Installation;
  tenants: LoadTenant[];
  ledger: Ledger;
  dataDir: string;
  resultsDir: string;
  random: () => number;
  concurrency: number;
}

/** A scenario's verdict: figures for the summary and the problems that fail the run. */
export interface ScenarioResult {
  name: string;
  /** Rows of "figure: value" for the summary table. */
  figures: [string, string][];
  /** Each one fails the run. */
  problems: string[];
  /** Everything else worth keeping, written to summary.json. */
  details: Record<string, unknown>;
}

export function problemsOfVerification(findings: readonly { kind: string; tenant: string; channel: string; detail: string }[]): string[] {
  return findings.map((f) => `${f.kind} [${f.tenant}, ${f.channel}]: ${f.detail}`);
}
