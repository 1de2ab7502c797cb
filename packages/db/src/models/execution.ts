import { and, asc, eq, gte, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Session } from "../engine/session.ts";
import { executions, type ExecutionStatus, type ValidationIssue } from "../schema/tenant/executions.ts";
import { addUsage, assertWithinMonthlyLimits, readUsage, type MonthlyLimits } from "./usage-counting.ts";
import { completeFinishedRuns, type BatchRunRow } from "./batch-run.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { InvalidQueryError } from "../errors.ts";
import { tenantContext } from "../tenant-context.ts";
import { tenantWorkModel, wakeWorkerSoon } from "./tenant-work.ts";
import { utcPeriod } from "../usage-periods.ts";
import { webhookDeliveryModel } from "./webhook-delivery.ts";
import { readExecutionEventData } from "./webhook-events.ts";
import { rowLimit } from "../engine/dialect.ts";

export { utcMonth, utcPeriod } from "../usage-periods.ts";
export { assertWithinMonthlyLimits, type MonthlyLimits } from "./usage-counting.ts";

export type ExecutionRow = RowOf<typeof executions>;

/** What the worker measured of a finished execution; omitted fields stay null. */
export interface ExecutionMeasures {
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  latencyMs?: number | null;
  /** Whether the result follows the version's response schema (null: the version has none). */
  valid?: boolean | null;
  validationErrors?: ValidationIssue[] | null;
}

export type ExecutionOutcome = ({ result: string } | { error: string }) & ExecutionMeasures;

/** A recorded outcome, and the batch run it completed (its last execution ended), if any. */
export interface FinishResult {
  row: ExecutionRow | null;
  /** Set exactly once per run, by the finish that ended its last execution: the `batch.completed` event. */
  batchCompleted: BatchRunRow | null;
}

export interface ExecutionStats {
  total: number;
  byStatus: Record<ExecutionStatus, number>;
}

export class ExecutionModel extends IsolatedModel<typeof executions> {
  constructor() {
    super(executions);
  }

  /**
   * Atomically moves the oldest pending execution to `running` for `claim.workerId` with a lease of
   * `claim.leaseMs`, and returns it, so two workers never take the same one. In the same IMMEDIATE
   * transaction the tenant's turn in the worker's index moves to the back and its lease check is
   * set no later than this lease's expiry (models/tenant-work.ts).
   */
  async claimNextPending(claim: WorkerClaim, now = new Date()): Promise<ExecutionRow | null> {
    assertClaim(claim);
    // A write session: the SELECT and the UPDATE must not interleave with another claimer's.
    return this.session("executions.claimNextPending", "write", async ({ db, t }) => {
      const { executions } = t;
      const [next] = await db
        .select()
        .from(executions)
        .where(eq(executions.status, "pending"))
        .orderBy(asc(executions.createdAt), asc(executions.id))
        .limit(rowLimit(1));
      if (!next) return null;
      const leaseExpiresAt = new Date(now.getTime() + claim.leaseMs);
      const [row] = await db
        .update(executions)
        .set({
          status: "running",
          startedAt: now,
          attempts: sql`${executions.attempts} + 1`,
          claimedBy: claim.workerId,
          leaseExpiresAt,
          updatedAt: now,
        })
        .where(and(eq(executions.id, next.id), eq(executions.status, "pending")))
        .returning();
      if (row) await tenantWorkModel.recordClaim(tenantContext.getCurrentTenantId("executions.claimNextPending"), leaseExpiresAt.getTime(), now.getTime());
      return row ?? null;
    });
  }

  /**
   * The heartbeat of a running execution: extends its lease to now + `leaseMs`, only while it is
   * still running in this worker's claim. Returns false when the claim was lost (the lease expired
   * and recovery gave the execution back, or it was deleted): the worker must then stop and drop
   * its outcome.
   */
  async renewLease(id: string, claim: WorkerClaim & { attempt: number }, now = new Date()): Promise<boolean> {
    assertClaim(claim);
    return this.session("executions.renewLease", "write", async ({ db, t }) => {
      const renewed = await db
        .update(t.executions)
        .set({ leaseExpiresAt: new Date(now.getTime() + claim.leaseMs), updatedAt: now })
        .where(and(eq(t.executions.id, id), ...heldBy(t.executions, claim)))
        .returning({ id: t.executions.id });
      return renewed.length > 0;
    });
  }

  /**
   * Creates a pending execution only if this calendar month's (UTC) executions stay within
   * `limits.executions` and its tokens have not reached `limits.tokens` (null: no token budget).
   * The month's usage counters are read, checked and raised in the same IMMEDIATE transaction as
   * the insert, so parallel requests never overshoot; deleted executions still count (the
   * counters never go down).
   */
  async createWithinMonthlyLimit(data: Parameters<ExecutionModel["create"]>[0], limits: MonthlyLimits, now = new Date()): Promise<ExecutionRow> {
    return this.session("executions.createWithinMonthlyLimit", "write", async (s) => {
      await assertWithinMonthlyLimits(s, limits, now);
      return this.insertRow(s, data);
    });
  }

  /** Executions created this calendar month (UTC), from the usage counter: deletions do not lower it. */
  async countThisMonth(now = new Date()): Promise<number> {
    return this.session("executions.countThisMonth", "read", (s) => readUsage(s, "executions", utcPeriod(now)));
  }

  /** Input + output tokens of the executions that finished this calendar month (UTC), from the usage counter. */
  async tokensThisMonth(now = new Date()): Promise<number> {
    return this.session("executions.tokensThisMonth", "read", (s) => readUsage(s, "tokens", utcPeriod(now)));
  }

  /** Every execution counts in the month it is created, whichever way it is created. */
  protected override async afterCreate(s: Session, row: ExecutionRow): Promise<void> {
    const now = new Date();
    await addUsage(s, "executions", utcPeriod(row.createdAt), 1, now);
    // Inside the insert's transaction: the worker's index never misses a committed execution.
    await tenantWorkModel.markPending(tenantContext.getCurrentTenantId("executions.create"), now.getTime());
    wakeWorkerSoon();
  }

  /**
   * Records the outcome of a running execution, only if it is still running *in this worker's
   * claim* (`workerId` and `attempt`): a worker whose lease expired, and whose execution was
   * given back and claimed again (by another worker or by itself), cannot overwrite the newer
   * attempt. The tenant's lease check moves to its earliest remaining lease (null: none runs).
   * When this was the last unfinished execution of a batch run, the run completes in the same
   * transaction (`batchCompleted`).
   */
  async finish(id: string, outcome: ExecutionOutcome, claim: Pick<WorkerClaim, "workerId"> & { attempt: number }, now = new Date()): Promise<FinishResult> {
    const values = {
      ...("result" in outcome ? { status: "completed" as const, result: outcome.result, error: null } : { status: "failed" as const, error: outcome.error }),
      inputTokens: outcome.inputTokens ?? null,
      outputTokens: outcome.outputTokens ?? null,
      costUsd: outcome.costUsd ?? null,
      latencyMs: outcome.latencyMs ?? null,
      valid: outcome.valid ?? null,
      validationErrors: outcome.validationErrors ?? null,
    };
    const tokens = (outcome.inputTokens ?? 0) + (outcome.outputTokens ?? 0);
    return this.session("executions.finish", "write", async (s) => {
      const { executions } = s.t;
      const [row] = await s.db
        .update(executions)
        .set({ ...values, leaseExpiresAt: null, completedAt: now, updatedAt: now })
        .where(and(eq(executions.id, id), ...heldBy(executions, claim)))
        .returning();
      if (!row) return { row: null, batchCompleted: null };
      await tenantWorkModel.setLeaseCheck(tenantContext.getCurrentTenantId("executions.finish"), await earliestLease(s));
      // Tokens count in the month the execution finishes, for the plan's token budget.
      if (tokens > 0) await addUsage(s, "tokens", utcPeriod(now), tokens, now);
      // In the finish's transaction: the event commits with the outcome, or neither does.
      await queueFinishedEvent(s, row, now);
      const [batchCompleted] = await completeFinishedRuns(s, [row.batchRunId], now);
      return { row, batchCompleted: batchCompleted ?? null };
    });
  }

  /**
   * Executions whose worker stopped renewing their lease (it crashed, was killed, or hung): those
   * whose lease expired by `now` (or that have none, claimed before leases existed) go back to
   * `pending` while attempts < maxAttempts, else they fail with a clear error. Never stuck. In
   * the same transaction the tenant is marked pending if any went back, and its lease check is set
   * to its earliest remaining lease (null: none runs).
   */
  async recoverExpiredLeases(maxAttempts: number, now = new Date()): Promise<{ retried: number; failed: number; batchesCompleted: BatchRunRow[] }> {
    return this.session("executions.recoverExpiredLeases", "write", async (s) => {
      const { executions } = s.t;
      const expired = and(eq(executions.status, "running"), or(isNull(executions.leaseExpiresAt), lte(executions.leaseExpiresAt, now)));
      const failedRows = await s.db
        .update(executions)
        .set({
          status: "failed",
          error: sql`'The worker stopped while running this execution, ' || ${executions.attempts} || ' attempt(s) of ${sql.raw(String(Math.trunc(maxAttempts)))}; it is not retried again.'`,
          leaseExpiresAt: null,
          completedAt: now,
          updatedAt: now,
        })
        .where(and(expired, gte(executions.attempts, maxAttempts)))
        .returning();
      for (const row of failedRows) await queueFinishedEvent(s, row, now);
      const failed = failedRows.length;
      const retried = (
        await s.db
          .update(executions)
          .set({ status: "pending", startedAt: null, claimedBy: null, leaseExpiresAt: null, updatedAt: now })
          .where(expired)
          .returning({ id: executions.id })
      ).length;
      const tenantId = tenantContext.getCurrentTenantId("executions.recoverExpiredLeases");
      if (retried > 0) await tenantWorkModel.markPending(tenantId, now.getTime());
      // After a recovery, look once more: if this process dies before the tenant store commits,
      // the shared store must not have forgotten the executions that are then still running.
      await tenantWorkModel.setLeaseCheck(tenantId, retried + failed > 0 ? now.getTime() : await earliestLease(s));
      // A batch run whose last execution failed here completes here (the same guard as finish).
      const batchesCompleted = await completeFinishedRuns(
        s,
        failedRows.map((r) => r.batchRunId),
        now,
      );
      return { retried, failed, batchesCompleted };
    });
  }

  async countCreatedBetween(from: Date, to: Date): Promise<number> {
    return this.count((t) => and(gte(t.createdAt, from), lt(t.createdAt, to)));
  }

  async stats(): Promise<ExecutionStats> {
    return this.session("executions.stats", "read", async ({ db, t }) => {
      const rows = await db
        .select({ status: t.executions.status, n: sql<number>`count(*)`.mapWith(Number) })
        .from(t.executions)
        .groupBy(t.executions.status);
      const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
      for (const row of rows) byStatus[row.status] = row.n;
      return { total: rows.reduce((sum, row) => sum + row.n, 0), byStatus };
    });
  }
}

export const executionModel = new ExecutionModel();

/** Which worker holds a claim, and for how long a claim or renewal holds (ExecutionWorker). */
export interface WorkerClaim {
  workerId: string;
  leaseMs: number;
}

function assertClaim(claim: WorkerClaim): void {
  if (typeof claim.workerId !== "string" || claim.workerId === "") throw new InvalidQueryError("A claim needs the worker's id.");
  if (!Number.isInteger(claim.leaseMs) || claim.leaseMs < 1)
    throw new InvalidQueryError(`A lease must be a whole number of milliseconds ≥ 1; got ${String(claim.leaseMs)}.`);
}

/** Still running in this claim: this worker, this attempt. */
function heldBy(table: typeof executions, claim: Pick<WorkerClaim, "workerId"> & { attempt: number }) {
  return [eq(table.status, "running"), eq(table.claimedBy, claim.workerId), eq(table.attempts, claim.attempt)];
}

/**
 * When the tenant's running executions must next be checked: the earliest lease expiry (ms), 0
 * (due now) if one runs without a lease, null if none runs. Uses executions_lease_idx.
 */
async function earliestLease({ db, t }: Session): Promise<number | null> {
  const lease = t.executions.leaseExpiresAt;
  const [row] = await db
    .select({
      earliest: sql<Date | null>`min(${lease})`.mapWith(lease),
      unleased: sql<number>`count(*) - count(${lease})`.mapWith(Number),
    })
    .from(t.executions)
    .where(eq(t.executions.status, "running"));
  if (!row) return null;
  if (row.unleased > 0) return 0;
  return row.earliest ? row.earliest.getTime() : null;
}

/** `execution.completed` / `execution.failed` for a row that just finished, inside its session. */
async function queueFinishedEvent(s: Session, row: ExecutionRow, now: Date): Promise<void> {
  if (row.status !== "completed" && row.status !== "failed") return;
  const type = row.status === "completed" ? "execution.completed" : "execution.failed";
  await webhookDeliveryModel.queueInTransaction(s, type, await readExecutionEventData(s, row), { deploymentId: row.deploymentId }, now);
}
