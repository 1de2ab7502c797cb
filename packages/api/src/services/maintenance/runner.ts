import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { ConflictError, maintenanceRunModel, NotFoundError, type MaintenanceKind, type MaintenanceRunRow } from "@sigil/db";
import { processExists, processRunner } from "./runner-identity.ts";
import type { MaintenanceTarget, MaintenanceTask } from "./task.ts";

/** The runner renews a run's heartbeat this often, and looks for a cancel asked by another process. */
export const HEARTBEAT_MS = 5_000;
/** A run whose heartbeat is older than this has no live runner (its pid may have been reused). */
export const STALE_AFTER_MS = 60_000;
/** Ended runs kept per kind, with their results (older ones are deleted when a run starts). */
export const RUNS_KEPT_PER_KIND = 20;

export const INTERRUPTED_MESSAGE = "Interrupted by a restart of the server that ran it; start it again to finish.";

/** A run that could not start because another of its kind is running (its progress is in the message). */
export class MaintenanceRunConflictError extends ConflictError {
  constructor(readonly running: MaintenanceRunRow) {
    super(
      `A ${running.kind} run is already going (${running.done} of ${running.total} tenants done, ${running.failed} failed, started ${running.createdAt.toISOString()}). ` +
        "Wait for it to finish or cancel it.",
    );
  }
}

function isInterrupted(run: MaintenanceRunRow, now: number): boolean {
  const { identity, live } = processRunner();
  if (run.runnerId === identity.id) return !live.has(run.id);
  // Another runner id in this very process: the process that ran it is gone and its pid was reused.
  if (run.runnerPid === identity.pid) return true;
  return !processExists(run.runnerPid) || now - run.heartbeatAt.getTime() > STALE_AFTER_MS;
}

/**
 * Marks runs whose process is gone (a restart, a crash) as failed, so they neither show as
 * running forever nor block a new run of their kind. Called before every look at the runs, so
 * the first request after a restart already sees them failed.
 */
export async function failInterruptedRuns(now = Date.now()): Promise<MaintenanceRunRow[]> {
  const failed: MaintenanceRunRow[] = [];
  for (const run of await maintenanceRunModel.running()) {
    if (isInterrupted(run, now) && (await maintenanceRunModel.markInterrupted(run, INTERRUPTED_MESSAGE))) failed.push(run);
  }
  return failed;
}

/** The tenants a run visits: every registered tenant, or the listed ones (each must be registered). */
export async function resolveTargets(tenantIds: readonly string[] | undefined): Promise<MaintenanceTarget[]> {
  const targets = await maintenanceRunModel.registeredTenants();
  if (tenantIds === undefined) return targets;
  const byId = new Map(targets.map((target) => [target.tenantId, target]));
  const unknown = tenantIds.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).join(", ");
    throw new NotFoundError(`No tenant has the id ${shown}${unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : ""}.`);
  }
  return [...new Set(tenantIds)].map((id) => byId.get(id)).filter((target): target is MaintenanceTarget => target !== undefined);
}

export interface StartRunInput {
  kind: MaintenanceKind;
  targets: MaintenanceTarget[];
  task: MaintenanceTask;
  startedBy: string | null;
}

/**
 * Starts a run and returns at once with its row; the run goes on in this process, in the
 * background, recording progress and results as it goes. Another run of the kind running
 * (here or in another process) is a MaintenanceRunConflictError.
 * `finished` settles when the run has ended (tests and scripts wait on it).
 */
export async function startRun(input: StartRunInput): Promise<{ run: MaintenanceRunRow; finished: Promise<MaintenanceRunRow> }> {
  await failInterruptedRuns();
  const { identity, live } = processRunner();
  const begun = await maintenanceRunModel.begin({
    kind: input.kind,
    total: input.targets.length,
    startedBy: input.startedBy,
    runner: identity,
    keep: RUNS_KEPT_PER_KIND,
  });
  if ("conflict" in begun) throw new MaintenanceRunConflictError(begun.conflict);
  const run = begun.started;
  if (run.status !== "running") return { run, finished: Promise.resolve(run) };
  const abort = new AbortController();
  live.set(run.id, abort);
  const finished = execute(run, input.task, input.targets, abort).finally(() => live.delete(run.id));
  return { run, finished };
}

async function execute(run: MaintenanceRunRow, task: MaintenanceTask, targets: MaintenanceTarget[], abort: AbortController): Promise<MaintenanceRunRow> {
  const { identity } = processRunner();
  // Only a cancel aborts a run (asked here through cancelRun, or seen in the run's row).
  const cancelIfAsked = (asked: boolean) => {
    if (asked) abort.abort();
  };
  // The heartbeat also notices a cancel asked through another process while a long step records nothing.
  const heartbeat = setInterval(() => {
    void maintenanceRunModel
      .heartbeat(run.id, identity.id)
      .then(() => maintenanceRunModel.findById(run.id))
      .then((row) => cancelIfAsked(row?.cancelRequestedAt != null))
      .catch((error: unknown) => console.error(`Maintenance run ${run.id}: heartbeat failed:`, error));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let ended: MaintenanceRunRow | null;
  try {
    // The request that started the run answers first; the task's own start-up comes after.
    await yieldToEventLoop();
    await task.run(targets, async (outcomes) => cancelIfAsked((await maintenanceRunModel.recordResults(run.id, outcomes)).cancelRequested), abort.signal);
    ended = await maintenanceRunModel.finish(run.id, abort.signal.aborted ? "cancelled" : "completed");
  } catch (error) {
    console.error(`Maintenance run ${run.id} (${run.kind}) failed:`, error);
    ended = await maintenanceRunModel.finish(run.id, "failed", error instanceof Error ? error.message : String(error));
  } finally {
    clearInterval(heartbeat);
  }
  return ended ?? (await maintenanceRunModel.findById(run.id)) ?? run;
}

/**
 * Asks a run to stop. A run of this process stops after the tenant (slice) in flight; one of
 * another process when its runner next records progress or beats. Returns the run as it is now.
 */
export async function cancelRun(runId: string): Promise<MaintenanceRunRow> {
  await failInterruptedRuns();
  const run = await maintenanceRunModel.requestCancel(runId);
  if (!run) throw new NotFoundError("No such maintenance run.");
  if (run.status !== "running") throw new ConflictError(`This run has already ended (${run.status}); there is nothing to cancel.`);
  processRunner().live.get(runId)?.abort();
  return run;
}
