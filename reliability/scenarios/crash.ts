/**
 * Crash: a write storm (prompts written, executions created and run by the worker) while the
 * worker and the web server are killed with SIGKILL, three times, restarting the installation
 * the way `pnpm start` does each time. Then: no execution stays `running` once the worker has
 * recovered (within a bound: the worker recovers at start or when a lease or the stale limit
 * runs out, see WORKER_* in lib/installation.ts), every acknowledged write is there,
 * integrity_check is ok on every tenant file and shared.sqlite.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { loadFigures, ms } from "../lib/report.ts";
import { runningExecutions, verifyAll } from "../lib/verify.ts";
import { Workload } from "../lib/workload.ts";
import { ackSummary } from "./load.ts";
import { problemsOfVerification, type ScenarioContext, type ScenarioResult } from "./context.ts";

const KILLS = 3;
/** How long executions may stay `running` after the last restart before the run fails. */
const RECOVERY_BOUND_MS = 60_000;

export async function crashScenario(ctx: ScenarioContext, stormMs: number): Promise<ScenarioResult> {
  const started = performance.now();
  const workload = new Workload({
    phase: "crash",
    tenants: ctx.tenants,
    ledger: ctx.ledger,
    concurrency: ctx.concurrency,
    random: ctx.random,
    serverMayBeDown: true,
    mix: {
      "prompt.create": 35,
      "prompt.update": 10,
      "prompt.delete": 3,
      "execution.create": 35,
      "prompt.list": 10,
      "execution.get": 7,
      "foreign-key.probe": 0,
    },
  });
  workload.start();
  const restarts: number[] = [];
  const problems: string[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(stormMs);
    await ctx.installation.crash();
    try {
      restarts.push((await ctx.installation.start()).ms);
    } catch (error) {
      problems.push(`restart ${kill} failed: ${error instanceof Error ? error.message : String(error)}`);
      break;
    }
  }
  await sleep(stormMs);
  const records = await workload.stop();
  const stormTotalMs = performance.now() - started;

  // Recovery: eventually no execution is `running` (and none left `pending`, once the worker caught up).
  const recoveryStarted = performance.now();
  let state = runningExecutions(ctx.dataDir, ctx.tenants);
  while ((state.running > 0 || state.pending > 0) && performance.now() - recoveryStarted < RECOVERY_BOUND_MS) {
    await sleep(250);
    state = runningExecutions(ctx.dataDir, ctx.tenants);
  }
  const recoveryMs = performance.now() - recoveryStarted;
  if (state.pending > 0) problems.push(`${state.pending} executions still pending ${RECOVERY_BOUND_MS / 1000} s after the storm (the worker did not catch up)`);

  const verification = await verifyAll(ctx.dataDir, ctx.tenants, ctx.ledger, { integrity: true, noRunning: true });
  const figures = loadFigures(
    records.filter((r) => typeof r.status === "number"),
    stormTotalMs,
  );
  const unknown = verification.counts.reduce((a, c) => a + c.unknownWrites, 0);
  return {
    name: "crash",
    figures: [
      ["kills", `${KILLS}× kill -9 of worker + web server, storm ${(stormMs / 1000).toFixed(0)} s between kills`],
      ["restart time (pnpm start --skip-build)", restarts.map((r) => `${(r / 1000).toFixed(1)} s`).join(", ")],
      ["requests answered / not answered", `${figures.requests} / ${records.length - figures.requests} (refused while down, or cut by the kill)`],
      ["5xx", String(figures.status5xx)],
      ["writes with unknown outcome (cut by a kill)", String(unknown)],
      ["acknowledged writes", ackSummary(ctx)],
      ["lost acknowledged writes", String(verification.findings.filter((f) => f.kind === "lost-write").length)],
      ["executions after recovery", JSON.stringify(verification.executionsByStatus)],
      ["no running/pending execution after", ms(recoveryMs)],
      [
        "integrity_check ok",
        `${verification.integrityChecked - verification.findings.filter((f) => f.kind === "integrity").length}/${verification.integrityChecked} files`,
      ],
    ],
    problems: [
      ...problems,
      ...records
        .filter((r) => r.failure !== undefined)
        .map((r) => `request failed: ${r.op} ${r.tenant}: ${r.failure ?? ""}`)
        .slice(0, 10),
      ...problemsOfVerification(verification.findings),
    ],
    details: { restarts, recoveryMs, figures, executionsByStatus: verification.executionsByStatus, counts: verification.counts },
  };
}
