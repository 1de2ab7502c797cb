import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { rawRows } from "../engine/raw.ts";
import type { Session, Tables } from "../engine/session.ts";
import { batchRuns, type BatchTarget } from "../schema/tenant/batch-runs.ts";
import type { ExecutionInput, ExecutionStatus } from "../schema/tenant/executions.ts";
import { tenantContext } from "../tenant-context.ts";
import { utcPeriod } from "../usage-periods.ts";
import type { Page, RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { tenantWorkModel, wakeWorkerSoon } from "./tenant-work.ts";
import { addUsage, assertWithinMonthlyLimits, type MonthlyLimits } from "./usage-counting.ts";
import { webhookDeliveryModel } from "./webhook-delivery.ts";

export type BatchRunRow = RowOf<typeof batchRuns>;

/** One execution a run creates: a dataset item (grid row) on a target (grid column). */
export interface BatchCell {
  datasetItemId: string;
  input: ExecutionInput;
  targetIndex: number;
}

export interface NewBatchRun {
  name: string;
  promptId: string;
  datasetId: string;
  datasetName: string;
  targets: BatchTarget[];
  createdBy: string | null;
}

/** The latest execution of one grid cell, as the grid shows it (the result trimmed). */
export interface BatchCellExecution {
  id: string;
  datasetItemId: string | null;
  /** The item's place in its dataset; null once the item was deleted. */
  position: number | null;
  targetIndex: number;
  input: ExecutionInput;
  status: ExecutionStatus;
  /** The first characters of the result, or of the error. */
  excerpt: string | null;
  /** Characters of the whole result (or error), to tell whether the excerpt is all of it. */
  resultLength: number;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  valid: boolean | null;
  attempts: number;
}

export const GRID_EXCERPT_CHARS = 400;

/**
 * Batch runs: a prompt over every item of a dataset, once per target. The quota is counted, the
 * run and all its executions written, and the worker told once, in one IMMEDIATE transaction;
 * the run completes in the transaction of its last execution's finish (`completeFinishedRuns`).
 */
export class BatchRunModel extends IsolatedModel<typeof batchRuns> {
  constructor() {
    super(batchRuns);
  }

  /**
   * Creates the run and its pending executions (cells × targets' versions, providers, models and
   * options) only if they fit this month's (UTC) limits (executions, token budget): refused whole, with the
   * numbers, before anything is written.
   */
  async createWithinMonthlyLimit(run: NewBatchRun, cells: readonly BatchCell[], limits: MonthlyLimits, now = new Date()): Promise<BatchRunRow> {
    return this.session("batch_runs.createWithinMonthlyLimit", "write", async (s) => {
      await assertWithinMonthlyLimits(s, limits, now, { needed: cells.length, what: "This run" });
      const [row] = await s.db
        .insert(s.t.batchRuns)
        .values({ id: randomUUID(), ...run, status: "running", total: cells.length, createdAt: now, updatedAt: now })
        .returning();
      if (!row) throw new Error("The batch run insert returned no row.");
      await insertCells(s, row, cells, now);
      return row;
    });
  }

  async listPage(options: { promptId?: string; datasetId?: string; page?: number; pageSize?: number }): Promise<Page<BatchRunRow>> {
    return this.findWithPagination({
      where: {
        ...(options.promptId !== undefined ? { promptId: options.promptId } : {}),
        ...(options.datasetId !== undefined ? { datasetId: options.datasetId } : {}),
      },
      orderBy: { column: "createdAt", direction: "desc" },
      page: options.page,
      pageSize: options.pageSize,
    });
  }

  /** How many of the run's cells are in each status (the latest execution of each cell). */
  async progress(runId: string): Promise<Record<ExecutionStatus, number>> {
    return this.session("batch_runs.progress", "read", async (s) => {
      const rows = await rawRows<{ status: ExecutionStatus; n: number | string }>(
        s,
        sql`SELECT status, count(*) AS n FROM (${latestCells(s.t, runId)}) AS cells GROUP BY status`,
      );
      const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
      for (const row of rows) byStatus[row.status] = Number(row.n);
      return byStatus;
    });
  }

  /** The latest execution of every cell of the run, rows by item position (deleted items last). */
  async cells(runId: string, excerptChars = GRID_EXCERPT_CHARS): Promise<BatchCellExecution[]> {
    return this.session("batch_runs.cells", "read", async (s) => {
      type Raw = Omit<BatchCellExecution, "valid" | "input" | "resultLength"> & {
        valid: number | boolean | null;
        input: unknown;
        resultLength: number | string;
      };
      const rows = await rawRows<Raw>(
        s,
        sql`
          SELECT c.id, c.dataset_item_id AS "datasetItemId", i.position AS position, c.target_index AS "targetIndex", c.input AS input,
                 c.status, substr(coalesce(c.result, c.error), 1, ${excerptChars}) AS excerpt,
                 length(coalesce(c.result, c.error, '')) AS "resultLength", c.latency_ms AS "latencyMs", c.input_tokens AS "inputTokens",
                 c.output_tokens AS "outputTokens", c.cost_usd AS "costUsd", c.valid AS valid, c.attempts AS attempts
          FROM (${latestCells(s.t, runId)}) c LEFT JOIN ${s.t.datasetItems} i ON i.id = c.dataset_item_id
          ORDER BY i.position IS NULL, i.position, c.created_at, c.target_index`,
      );
      // SQLite returns booleans as 0/1 and JSON as text; PostgreSQL as booleans and parsed JSON.
      return rows.map((row) => ({
        ...row,
        resultLength: Number(row.resultLength),
        valid: row.valid === null ? null : row.valid === 1 || row.valid === true,
        input: (typeof row.input === "string" ? JSON.parse(row.input) : row.input) as ExecutionInput,
      }));
    });
  }

  /**
   * Cancels the run's pending executions (running ones finish) and the run itself, at once.
   * Returns the run, or null when it does not exist; a run that already ended is left as it is.
   */
  async cancel(runId: string, now = new Date()): Promise<{ run: BatchRunRow; cancelled: number } | null> {
    return this.session("batch_runs.cancel", "write", async ({ db, t }) => {
      const { batchRuns, executions } = t;
      const [run] = await db.select().from(batchRuns).where(eq(batchRuns.id, runId));
      if (!run) return null;
      if (run.status !== "running") return { run, cancelled: 0 };
      const cancelled = (
        await db
          .update(executions)
          .set({ status: "cancelled", completedAt: now, updatedAt: now })
          .where(and(eq(executions.batchRunId, runId), eq(executions.status, "pending")))
          .returning({ id: executions.id })
      ).length;
      const [updated] = await db
        .update(batchRuns)
        .set({ status: "cancelled", completedAt: now, updatedAt: now })
        .where(and(eq(batchRuns.id, runId), eq(batchRuns.status, "running")))
        .returning();
      return { run: updated ?? run, cancelled };
    });
  }

  /**
   * Gives every cell whose latest execution failed a new pending execution (same item, input and
   * target), counted against the monthly `limits` like a new run: all or none. The run runs again.
   * Cells whose item was deleted are not retried.
   */
  async retryFailed(runId: string, limits: MonthlyLimits, now = new Date()): Promise<{ run: BatchRunRow; retried: number } | null> {
    return this.session("batch_runs.retryFailed", "write", async (s) => {
      const { batchRuns } = s.t;
      const [run] = await s.db.select().from(batchRuns).where(eq(batchRuns.id, runId));
      if (!run) return null;
      const failed = await rawRows<{ datasetItemId: string; input: unknown; targetIndex: number }>(
        s,
        sql`SELECT dataset_item_id AS "datasetItemId", input, target_index AS "targetIndex" FROM (${latestCells(s.t, runId)}) AS cells
          WHERE status = 'failed' AND dataset_item_id IS NOT NULL`,
      );
      if (failed.length === 0) return { run, retried: 0 };
      await assertWithinMonthlyLimits(s, limits, now, { needed: failed.length, what: "Retrying the failed cells" });
      await insertCells(
        s,
        run,
        failed.map((cell) => ({
          datasetItemId: cell.datasetItemId,
          input: (typeof cell.input === "string" ? JSON.parse(cell.input) : cell.input) as ExecutionInput,
          targetIndex: cell.targetIndex,
        })),
        now,
      );
      const [updated] = await s.db.update(batchRuns).set({ status: "running", completedAt: null, updatedAt: now }).where(eq(batchRuns.id, runId)).returning();
      return { run: updated ?? run, retried: failed.length };
    });
  }
}

export const batchRunModel = new BatchRunModel();

/**
 * Inside the transaction that ended executions of these runs (a finish, a recovery, a cancel):
 * every named run that is still `running` and has no pending or running execution left becomes
 * `completed`. The status guard makes the transition happen once, whichever transaction ends the
 * last execution; the runs that completed here are returned (for the `batch.completed` event).
 */
export async function completeFinishedRuns(s: Session, runIds: readonly (string | null)[], now: Date): Promise<BatchRunRow[]> {
  const ids = [...new Set(runIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return [];
  const { batchRuns, executions } = s.t;
  const completed = await s.db
    .update(batchRuns)
    .set({ status: "completed", completedAt: now, updatedAt: now })
    .where(
      and(
        inArray(batchRuns.id, ids),
        eq(batchRuns.status, "running"),
        sql`NOT EXISTS (SELECT 1 FROM ${executions} WHERE ${executions.batchRunId} = ${batchRuns.id} AND ${executions.status} IN ('pending', 'running'))`,
      ),
    )
    .returning();
  // In the transaction of the transition: batch.completed is queued exactly once, or not at all.
  for (const run of completed) await webhookDeliveryModel.queueBatchCompletedInTransaction(s, run.id, now);
  return completed;
}

/** The latest execution of each cell (item × target) of a run: retries replace failed ones. */
function latestCells({ executions }: Tables, runId: string) {
  return sql`SELECT * FROM (
      SELECT e.*, row_number() OVER (PARTITION BY coalesce(e.dataset_item_id, e.id), e.target_index ORDER BY e.created_at DESC, e.id DESC) AS cell_rank
      FROM ${executions} e WHERE e.batch_run_id = ${runId}) AS ranked WHERE cell_rank = 1`;
}

/** Inserts the cells' pending executions, counts them in the month, and tells the worker once. */
async function insertCells(s: Session, run: BatchRunRow, cells: readonly BatchCell[], now: Date): Promise<void> {
  for (let start = 0; start < cells.length; start += 50) {
    const values = cells.slice(start, start + 50).map((cell) => {
      const target = run.targets[cell.targetIndex];
      if (!target) throw new Error(`Batch run ${run.id} has no target ${cell.targetIndex}.`);
      return {
        id: randomUUID(),
        promptId: run.promptId,
        promptVersion: target.version,
        input: cell.input,
        options: target.options,
        provider: target.provider,
        model: target.model,
        batchRunId: run.id,
        datasetItemId: cell.datasetItemId,
        targetIndex: cell.targetIndex,
        createdBy: run.createdBy,
        createdAt: now,
        updatedAt: now,
      };
    });
    await s.db.insert(s.t.executions).values(values);
  }
  await addUsage(s, "executions", utcPeriod(now), cells.length, now);
  // Inside the session: the worker's index never misses a committed execution (models/execution.ts).
  await tenantWorkModel.markPending(tenantContext.getCurrentTenantId("batch_runs.create"), now.getTime());
  wakeWorkerSoon();
}
