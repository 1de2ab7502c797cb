import { InvalidQueryError, maintenanceRunModel, NotFoundError, type MaintenanceKind, type MaintenanceResultRow, type MaintenanceRunRow } from "@sigil/db";
import { maintenanceResultsInput, maintenanceRunInput, maintenanceRunsInput, startMaintenanceRunInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { systemAdminProcedure } from "../procedures.ts";
import { recordSystemAction } from "../services/audit.ts";
import { cancelRun, failInterruptedRuns, resolveTargets, startRun } from "../services/maintenance/runner.ts";
import { MAINTENANCE_OUTCOMES, maintenanceTask } from "../services/maintenance/tasks.ts";
import { router } from "../trpc.ts";

/** A run as the dashboard shows it (who ran it and the runner's process stay on the server). */
export interface PublicMaintenanceRun {
  id: string;
  kind: MaintenanceKind;
  status: MaintenanceRunRow["status"];
  total: number;
  done: number;
  failed: number;
  startedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  cancelRequested: boolean;
  error: string | null;
}

export type PublicMaintenanceResult = Omit<MaintenanceResultRow, "runId">;

function toPublicRun(row: MaintenanceRunRow): PublicMaintenanceRun {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    startedBy: row.startedBy,
    startedAt: row.createdAt,
    finishedAt: row.finishedAt,
    cancelRequested: row.cancelRequestedAt !== null,
    error: row.error,
  };
}

async function findRun(id: string): Promise<MaintenanceRunRow> {
  await failInterruptedRuns();
  const run = await maintenanceRunModel.findById(id);
  if (!run) throw new NotFoundError("No such maintenance run.");
  return run;
}

/**
 * Admin operations over every tenant (docs/architecture.md, Maintenance runs): `start` returns
 * at once with the run; the server works through the tenants in the background without holding
 * its event loop, and the dashboard polls `get` for progress and pages through `results`.
 */
export const maintenanceRouter = router({
  /** Starts a health check, a migration, a usage repair or a backup of every tenant (or of `tenantIds`). One run of a kind at a time (CONFLICT). */
  start: systemAdminProcedure.input(startMaintenanceRunInput).mutation(async ({ ctx, input }) => {
    const targets = await resolveTargets(input.tenantIds);
    const { run } = await startRun({
      kind: input.kind,
      targets,
      task: maintenanceTask(input.kind, undefined, input.tenantIds === undefined),
      startedBy: ctx.systemAdmin.id,
    });
    await recordSystemAction(ctx, ctx.systemAdmin, "admin.maintenance_started", {
      runId: run.id,
      kind: run.kind,
      only: input.tenantIds ?? null,
      total: run.total,
    });
    return toPublicRun(run);
  }),

  /** A run's progress, with its results counted by outcome. */
  get: systemAdminProcedure.input(maintenanceRunInput).query(async ({ input }) => {
    const run = await findRun(input.id);
    return { ...toPublicRun(run), outcomes: await maintenanceRunModel.outcomeCounts(run.id) };
  }),

  /** The newest runs (of one kind or all), newest first; the dashboard opens on the latest. */
  list: systemAdminProcedure.input(maintenanceRunsInput).query(async ({ input }) => {
    await failInterruptedRuns();
    return (await maintenanceRunModel.recent(input.kind, input.limit)).map(toPublicRun);
  }),

  /** One page of a run's per-tenant results in the order they finished, optionally of one outcome. */
  results: systemAdminProcedure.input(maintenanceResultsInput).query(async ({ input }) => {
    const run = await findRun(input.runId);
    const known: readonly string[] = MAINTENANCE_OUTCOMES[run.kind];
    if (input.outcome !== undefined && !known.includes(input.outcome)) {
      throw new InvalidQueryError(`A ${run.kind} run has no "${input.outcome}" results; its outcomes are ${known.join(", ")}.`);
    }
    const page = await maintenanceRunModel.results(run.id, { outcome: input.outcome, page: input.page, pageSize: input.pageSize });
    return { ...page, data: page.data.map(({ runId: _runId, ...result }): PublicMaintenanceResult => result) };
  }),

  /** Stops a run after the tenants in flight; what was done stays recorded. */
  cancel: systemAdminProcedure.input(maintenanceRunInput).mutation(async ({ ctx, input }) => {
    if ((await findRun(input.id)).kind === "backup") {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "A backup run cannot be cancelled: its set is one moment's copies of every file, written whole or not at all.",
      });
    }
    const run = await cancelRun(input.id);
    await recordSystemAction(ctx, ctx.systemAdmin, "admin.maintenance_cancelled", { runId: run.id, kind: run.kind, done: run.done, total: run.total });
    return toPublicRun(run);
  }),
});
