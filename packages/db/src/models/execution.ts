import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { executions, type ExecutionStatus } from "../schema/tenant/executions.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

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
      this.transaction(db, (tx) => {
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
      }),
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
