/**
 * Load: mixed reads and writes over every tenant (Zipf), then every acknowledged write checked
 * through the API and in the tenant files; p50/p99 and the servers' RSS before and after.
 */
import { groupRssBytes } from "../../bench/lib/processes.ts";
import type { ServerProcesses } from "../lib/installation.ts";
import { loadFigures, mb, ms } from "../lib/report.ts";
import { verifyAll } from "../lib/verify.ts";
import { Workload } from "../lib/workload.ts";
import { problemsOfVerification, type ScenarioContext, type ScenarioResult } from "./context.ts";

export async function loadScenario(ctx: ScenarioContext, durationMs: number, plant?: (ctx: ScenarioContext) => Promise<string>): Promise<ScenarioResult> {
  const rssBefore = rssOf(ctx.installation.servers());
  const workload = new Workload({ phase: "load", tenants: ctx.tenants, ledger: ctx.ledger, concurrency: ctx.concurrency, random: ctx.random });
  const records = await workload.runFor(durationMs);
  const rssAfter = rssOf(ctx.installation.servers());
  const figures = loadFigures(records, durationMs);
  const planted = plant ? await plant(ctx) : undefined;
  const verification = await verifyAll(ctx.storage, ctx.tenants, ctx.ledger, { integrity: false, noRunning: false });
  const mismatched = verification.counts.filter((c) => c.apiPrompts !== c.filePrompts || (c.unknownWrites === 0 && c.apiPrompts !== c.expectedPrompts));
  const tenantsTouched = new Set(records.map((r) => r.tenant)).size;
  return {
    name: "load",
    figures: [
      ["duration", `${(durationMs / 1000).toFixed(0)} s, ${ctx.concurrency} clients, ${ctx.tenants.length} tenants (Zipf s=1), ${tenantsTouched} touched`],
      ["requests", `${figures.requests} (${figures.perSecond.toFixed(0)}/s)`],
      ["latency", `p50 ${ms(figures.p50Ms)}, p99 ${ms(figures.p99Ms)}, max ${ms(figures.maxMs)}`],
      ["5xx / no answer / failures", `${figures.status5xx} / ${figures.noAnswer} / ${figures.failures}`],
      ["acknowledged writes", ackSummary(ctx)],
      [
        "per-tenant counts",
        `${verification.counts.length - mismatched.length}/${verification.counts.length} tenants: API = ${ctx.storage.label} = acknowledged`,
      ],
      ["cross-tenant rows", String(verification.findings.filter((f) => f.kind === "cross-tenant-row").length)],
      ["RSS web (before → after)", rssBefore && rssAfter ? `${mb(rssBefore.web)} → ${mb(rssAfter.web)}` : "–"],
      ["RSS worker (before → after)", rssBefore && rssAfter ? `${mb(rssBefore.worker)} → ${mb(rssAfter.worker)}` : "–"],
      ...(planted ? ([["planted (must fail)", planted]] as [string, string][]) : []),
    ],
    problems: [
      ...figures.failureSamples.map((s) => `request failed: ${s}`),
      ...(figures.failures > figures.failureSamples.length ? [`… ${figures.failures} failing requests in all`] : []),
      ...problemsOfVerification(verification.findings),
      ...mismatched.map((c) => `count mismatch ${c.tenant}: expected ${c.expectedPrompts}, API ${c.apiPrompts}, file ${c.filePrompts}`),
    ],
    details: { figures, rssBefore, rssAfter, counts: verification.counts },
  };
}

/** The web servers' and the workers' resident memory (summed over the servers of a cluster). */
function rssOf(servers: readonly ServerProcesses[]): { web: number; worker: number } | undefined {
  if (servers.length === 0) return undefined;
  return {
    web: servers.reduce((sum, server) => sum + groupRssBytes(server.web), 0),
    worker: servers.reduce((sum, server) => sum + groupRssBytes(server.worker), 0),
  };
}

export function ackSummary(ctx: ScenarioContext): string {
  let prompts = 0;
  let versions = 0;
  let deletes = 0;
  let executions = 0;
  for (const t of ctx.ledger.tenants) {
    for (const p of t.prompts.values()) {
      prompts += 1;
      versions += p.ackedVersions - 1;
      if (p.deletion === "acked") deletes += 1;
    }
    executions += t.executions.size;
  }
  return `${prompts} prompts, ${versions} updates, ${deletes} deletes, ${executions} executions (cumulative)`;
}
