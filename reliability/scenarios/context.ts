import type { Deployment } from "../lib/installation.ts";
import type { StoredData } from "../lib/storage.ts";
import type { Ledger } from "../lib/ledger.ts";
import type { LoadTenant } from "../lib/workload.ts";

/** What every scenario gets: the running installation, its tenants and the shared ledger. */
export interface ScenarioContext {
  installation: Deployment;
  tenants: LoadTenant[];
  ledger: Ledger;
  /** The data directory (SQLite files, and the migration scenario's fixture); on PostgreSQL the first server's. */
  dataDir: string;
  /** What the installation stored, read beside its API. */
  storage: StoredData;
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
