import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { executions, type ExecutionStatus } from "../schema/tenant/executions.ts";
import { usageCounters } from "../schema/tenant/usage-counters.ts";
import type { RowOf, SyncDatabase } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { QuotaExceededError } from "../errors.ts";
import { utcPeriod } from "../usage-periods.ts";

export { utcMonth, utcPeriod } from "../usage-periods.ts";

export type ExecutionRow = RowOf<typeof executions>;

export interface ExecutionStats {
  total: number;
  byStatus: Record<ExecutionStatus, number>;
}

export class ExecutionModel extends IsolatedModel<typeof executions> {
  constructor() {
    super(executions);
  }

  /**
   * Atomically moves the oldest pending execution to `running` and returns it, so two workers
   * never take the same one.
   */
  async claimNextPending(now = new Date()): Promise<ExecutionRow | null> {
    return this.withDatabase("executions.claimNextPending", (db) =>
      // IMMEDIATE: a deferred read-then-write can fail with SQLITE_BUSY_SNAPSHOT when another
      // process (the web app) writes between the SELECT and the UPDATE.
      this.transaction(
        db,
        (tx) => {
          const next = tx
            .select()
            .from(executions)
            .where(eq(executions.status, "pending"))
            .orderBy(asc(executions.createdAt), asc(executions.id))
            .limit(1)
            .get();
          if (!next) return null;
          return (
            tx
              .update(executions)
              .set({ status: "running", startedAt: now, attempts: sql`${executions.attempts} + 1`, updatedAt: now })
              .where(and(eq(executions.id, next.id), eq(executions.status, "pending")))
              .returning()
              .get() ?? null
          );
        },
        "immediate",
      ),
    );
  }

  /**
   * Creates a pending execution only if this calendar month's (UTC) executions stay within
   * `limit`. The month's usage counter is read, checked and raised in the same IMMEDIATE
   * transaction as the insert, so parallel requests never overshoot; deleted executions still
   * count (the counter never goes down).
   */
  async createWithinMonthlyLimit(data: Parameters<ExecutionModel["create"]>[0], limit: number, now = new Date()): Promise<ExecutionRow> {
    return this.withDatabase("executions.createWithinMonthlyLimit", (db) =>
      this.transaction(
        db,
        (tx) => {
          const used = readUsage(tx, utcPeriod(now));
          if (used >= limit) {
            throw new QuotaExceededError("executions_per_month", limit, used, `The plan allows ${limit} executions a month and ${used} ran this month (UTC).`);
          }
          return this.createSync(data);
        },
        "immediate",
      ),
    );
  }

  /** Executions created this calendar month (UTC), from the usage counter: deletions do not lower it. */
  async countThisMonth(now = new Date()): Promise<number> {
    return this.withDatabase("executions.countThisMonth", (db) => readUsage(db, utcPeriod(now)));
  }

  /** Every execution counts in the month it is created, whichever way it is created. */
  protected override afterCreate(tx: SyncDatabase, row: ExecutionRow): void {
    const now = new Date();
    tx.insert(usageCounters)
      .values({ metric: "executions", period: utcPeriod(row.createdAt), count: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: [usageCounters.metric, usageCounters.period],
        set: { count: sql`${usageCounters.count} + 1`, updatedAt: now },
      })
      .run();
  }

  /**
   * Records the outcome of a running execution, only if it is still running *and* still in the
   * claim (`attempt`) that produced it: a slow worker whose execution was recovered and claimed
   * again cannot overwrite the newer attempt's outcome.
   */
  async finish(id: string, outcome: { result: string } | { error: string }, attempt: number, now = new Date()): Promise<ExecutionRow | null> {
    const values =
      "result" in outcome ? { status: "completed" as const, result: outcome.result, error: null } : { status: "failed" as const, error: outcome.error };
    return this.withDatabase(
      "executions.finish",
      (db) =>
        db
          .update(executions)
          .set({ ...values, completedAt: now, updatedAt: now })
          .where(and(eq(executions.id, id), eq(executions.status, "running"), eq(executions.attempts, attempt)))
          .returning()
          .get() ?? null,
    );
  }

  /**
   * Executions left `running` by a worker that died: those started before `startedBefore` go
   * back to `pending` while attempts remain, else they fail with a clear error. Never stuck.
   */
  async recoverStale(startedBefore: Date, maxAttempts: number, now = new Date()): Promise<{ retried: number; failed: number }> {
    return this.withDatabase("executions.recoverStale", (db) =>
      this.transaction(
        db,
        (tx) => {
          const stale = and(eq(executions.status, "running"), lt(executions.startedAt, startedBefore));
          const failed = (
            tx
              .update(executions)
              .set({
                status: "failed",
                error: sql`'The worker stopped while running this execution, ' || ${executions.attempts} || ' attempt(s) of ${sql.raw(String(Math.trunc(maxAttempts)))}; it is not retried again.'`,
                completedAt: now,
                updatedAt: now,
              })
              .where(and(stale, gte(executions.attempts, maxAttempts)))
              .run() as { changes: number }
          ).changes;
          const retried = (tx.update(executions).set({ status: "pending", startedAt: null, updatedAt: now }).where(stale).run() as { changes: number }).changes;
          return { retried, failed };
        },
        "immediate",
      ),
    );
  }

  async countCreatedBetween(from: Date, to: Date): Promise<number> {
    return this.count((t) => and(gte(t.createdAt, from), lt(t.createdAt, to)));
  }

  async stats(): Promise<ExecutionStats> {
    return this.withDatabase("executions.stats", (db) => {
      const rows = db
        .select({ status: executions.status, n: sql<number>`count(*)` })
        .from(executions)
        .groupBy(executions.status)
        .all();
      const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0 };
      for (const row of rows) byStatus[row.status] = row.n;
      return { total: rows.reduce((sum, row) => sum + row.n, 0), byStatus };
    });
  }
}

export const executionModel = new ExecutionModel();

function readUsage(db: SyncDatabase, period: string): number {
  const row = db
    .select({ count: usageCounters.count })
    .from(usageCounters)
    .where(and(eq(usageCounters.metric, "executions"), eq(usageCounters.period, period)))
    .get();
  return row?.count ?? 0;
}
