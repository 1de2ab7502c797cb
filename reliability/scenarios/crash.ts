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
import { executionStates, verifyAll } from "../lib/verify.ts";
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
    slowShare: 0.25,
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
  const kills: { runningAtKill: number; recoveredMs: number | null }[] = [];
  const problems: string[] = [];
  for (let kill = 1; kill <= KILLS; kill += 1) {
    await sleep(stormMs);
    await ctx.installation.crash();
    // What the dead worker held: these must leave `running` once the restarted worker recovers.
    const held = new Set((await executionStates(ctx.storage, ctx.tenants)).running);
    try {
      restarts.push((await ctx.installation.start()).ms);
    } catch (error) {
      problems.push(`restart ${kill} failed: ${error instanceof Error ? error.message : String(error)}`);
      break;
    }
    const recoveredMs = await waitUntil(async () => !(await executionStates(ctx.storage, ctx.tenants)).running.some((id) => held.has(id)), RECOVERY_BOUND_MS);
    kills.push({ runningAtKill: held.size, recoveredMs });
    if (recoveredMs === null)
      problems.push(`kill ${kill}: executions the killed worker held were still running ${RECOVERY_BOUND_MS / 1000} s after the restart`);
  }
  await sleep(stormMs);
  const records = await workload.stop();
  const stormTotalMs = performance.now() - started;

  // Recovery: eventually no execution is `running` (and none left `pending`, once the worker caught up).
  let state = await executionStates(ctx.storage, ctx.tenants);
  const settledMs = await waitUntil(async () => {
    state = await executionStates(ctx.storage, ctx.tenants);
    return state.running.length === 0 && state.pending === 0;
  }, RECOVERY_BOUND_MS);
  if (settledMs === null)
    problems.push(`${state.running.length} running and ${state.pending} pending executions ${RECOVERY_BOUND_MS / 1000} s after the storm`);

  const verification = await verifyAll(ctx.storage, ctx.tenants, ctx.ledger, { integrity: true, noRunning: true });
  const figures = loadFigures(
    records.filter((r) => typeof r.status === "number"),
    stormTotalMs,
  );
  const unknown = verification.counts.reduce((a, c) => a + c.unknownWrites, 0);
  return {
    name: "crash",
    figures: [
      [
        "kills",
        `${KILLS}× kill -9 of ${ctx.installation.servers().length > 1 ? "one server's" : "the"} worker + web server, storm ${(stormMs / 1000).toFixed(0)} s between kills`,
      ],
      ["restart time (pnpm start --skip-build)", restarts.map((r) => `${(r / 1000).toFixed(1)} s`).join(", ")],
      ["requests answered / not answered", `${figures.requests} / ${records.length - figures.requests} (refused while down, or cut by the kill)`],
      ["5xx", String(figures.status5xx)],
      ["writes with unknown outcome (cut by a kill)", String(unknown)],
      ["acknowledged writes", ackSummary(ctx)],
      ["lost acknowledged writes", String(verification.findings.filter((f) => f.kind === "lost-write").length)],
      ["executions after recovery", JSON.stringify(verification.executionsByStatus)],
      [
        "running when killed → recovered after restart in",
        kills.map((k) => `${k.runningAtKill} → ${k.recoveredMs === null ? "NOT" : ms(k.recoveredMs)}`).join(", "),
      ],
      ["all executions settled after the storm in", settledMs === null ? "NOT within the bound" : ms(settledMs)],
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
    details: { restarts, kills, settledMs, figures, executionsByStatus: verification.executionsByStatus, counts: verification.counts },
  };
}

/** Polls `done` every 250 ms; the time it took, or null when `boundMs` passed first. */
async function waitUntil(done: () => Promise<boolean>, boundMs: number): Promise<number | null> {
  const started = performance.now();
  while (!(await done())) {
    if (performance.now() - started > boundMs) return null;
    await sleep(250);
  }
  return performance.now() - started;
}
