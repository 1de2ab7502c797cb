import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import { executions, type ExecutionStatus, type ReviewStatus } from "../schema/tenant/executions.ts";
import type { Page } from "./base-model.ts";
import { completeFinishedRuns } from "./batch-run.ts";
import type { ExecutionRow } from "./execution.ts";
import { IsolatedModel } from "./strategies.ts";
import { rowLimit } from "../engine/dialect.ts";

/**
 * Triage of executions: the filtered list, star and review status, cancelling a pending one, and
 * the pages of the CSV export. A model of its own over the executions table (models/execution.ts
 * is the worker's lifecycle: claim, lease, finish, recovery).
 */

/** The executions list's filters, shared by the list and the CSV export. `createdBefore` is exclusive. */
export interface ExecutionFilter {
  status?: ExecutionStatus | undefined;
  promptId?: string | undefined;
  deploymentId?: string | undefined;
  starred?: boolean | undefined;
  reviewStatus?: ReviewStatus | undefined;
  createdFrom?: Date | undefined;
  createdBefore?: Date | undefined;
}

/** An execution as the CSV export writes it: with its prompt's name (null once the prompt is gone). */
export type ExportedExecution = ExecutionRow & { promptName: string | null };

/** Where an export page ends: the next page starts after this execution (newest first). */
export interface ExportCursor {
  createdAt: Date;
  id: string;
}

type ExecutionsTable = typeof executions;

export type CancelOutcome = { cancelled: true; row: ExecutionRow } | { cancelled: false; status: ExecutionStatus } | null;

function filterSql(executions: ExecutionsTable, filter: ExecutionFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.status !== undefined) conditions.push(eq(executions.status, filter.status));
  if (filter.promptId !== undefined) conditions.push(eq(executions.promptId, filter.promptId));
  if (filter.deploymentId !== undefined) conditions.push(eq(executions.deploymentId, filter.deploymentId));
  if (filter.starred !== undefined) conditions.push(eq(executions.starred, filter.starred));
  if (filter.reviewStatus !== undefined) conditions.push(eq(executions.reviewStatus, filter.reviewStatus));
  if (filter.createdFrom !== undefined) conditions.push(gte(executions.createdAt, filter.createdFrom));
  if (filter.createdBefore !== undefined) conditions.push(lt(executions.createdAt, filter.createdBefore));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

export class ExecutionReviewModel extends IsolatedModel<typeof executions> {
  constructor() {
    super(executions);
  }

  /** Newest first, filtered. */
  async list(filter: ExecutionFilter, page: number, pageSize: number): Promise<Page<ExecutionRow>> {
    return this.findWithPagination({
      where: (table) => filterSql(table, filter),
      orderBy: { column: "createdAt", direction: "desc" },
      page,
      pageSize,
    });
  }

  /**
   * One page of the export, newest first, after `cursor` (keyset, so a page costs the same at row
   * 1 and at row 100,000, and rows created meanwhile neither repeat nor shift the pages).
   */
  async exportPage(filter: ExecutionFilter, cursor: ExportCursor | null, limit: number): Promise<ExportedExecution[]> {
    return this.session("executions.exportPage", "read", async ({ db, t }) => {
      const { executions, prompts } = t;
      const after = cursor
        ? or(lt(executions.createdAt, cursor.createdAt), and(eq(executions.createdAt, cursor.createdAt), lt(executions.id, cursor.id)))
        : undefined;
      const conditions = [filterSql(executions, filter), after].filter((condition): condition is SQL => condition !== undefined);
      const rows = await db
        .select({ execution: executions, promptName: prompts.name })
        .from(executions)
        .leftJoin(prompts, eq(prompts.id, executions.promptId))
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(executions.createdAt), desc(executions.id))
        .limit(rowLimit(limit));
      return rows.map((row) => ({ ...row.execution, promptName: row.promptName }));
    });
  }

  /**
   * Cancels a pending execution: one conditional UPDATE (`status = 'pending'`), so a worker's claim
   * (the same condition, in an IMMEDIATE transaction, models/execution.ts) and a cancel never both
   * win. Null when the execution does not exist; else whether it was cancelled, and if not, the
   * status that kept it from being cancelled.
   */
  async cancelPending(id: string, now = new Date()): Promise<CancelOutcome> {
    return this.session("executions.cancelPending", "write", async (s) => {
      const { executions } = s.t;
      const [row] = await s.db
        .update(executions)
        .set({ status: "cancelled", error: "Cancelled before it ran.", completedAt: now, updatedAt: now })
        .where(and(eq(executions.id, id), eq(executions.status, "pending")))
        .returning();
      if (row) {
        // Cancelling the last pending cell of a batch run ends the run, as a finish would.
        await completeFinishedRuns(s, [row.batchRunId], now);
        return { cancelled: true as const, row };
      }
      const [current] = await s.db.select({ status: executions.status }).from(executions).where(eq(executions.id, id));
      return current ? { cancelled: false as const, status: current.status } : null;
    });
  }

  /** Sets the star and/or the review status; null when the execution does not exist. */
  async setReview(
    id: string,
    patch: { starred?: boolean | undefined; reviewStatus?: ReviewStatus | undefined },
    now = new Date(),
  ): Promise<ExecutionRow | null> {
    const values = {
      ...(patch.starred !== undefined ? { starred: patch.starred } : {}),
      ...(patch.reviewStatus !== undefined ? { reviewStatus: patch.reviewStatus } : {}),
      updatedAt: now,
    };
    return this.session("executions.setReview", "write", async ({ db, t }) => {
      const [row] = await db.update(t.executions).set(values).where(eq(t.executions.id, id)).returning();
      return row ?? null;
    });
  }
}

export const executionReviewModel = new ExecutionReviewModel();
