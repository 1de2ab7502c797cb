import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, isNull, lt, max, sql } from "drizzle-orm";
import { InvalidQueryError } from "../errors.ts";
import { maintenanceRuns, type maintenanceResults, type MaintenanceKind, type MaintenanceRunStatus } from "../schema/shared/maintenance.ts";
import { MAX_PAGE_SIZE, type Page, type RowOf } from "./base-model.ts";
import { SystemModel } from "./strategies.ts";
import { rowLimit } from "../engine/dialect.ts";

export type MaintenanceRunRow = RowOf<typeof maintenanceRuns>;
export type MaintenanceResultRow = typeof maintenanceResults.$inferSelect;

/** What one step did to one tenant, as the runner records it. */
export interface MaintenanceOutcome {
  tenantId: string;
  slug: string;
  outcome: string;
  detail: string;
  databaseBytes: number | null;
  durationMs: number;
  /** Counted in the run's `failed`. */
  failed: boolean;
}

/** Who runs a run: the process id and a random id of the runner in that process. */
export interface RunnerIdentity {
  pid: number;
  id: string;
}

export type BeginRunResult = { started: MaintenanceRunRow } | { conflict: MaintenanceRunRow };

const ENDED_STATUSES = ["completed", "failed", "cancelled"] as const satisfies readonly MaintenanceRunStatus[];

/**
 * Maintenance runs and their per-tenant results (schema/shared/maintenance.ts). Every change of
 * a run is one conditional statement or one IMMEDIATE transaction, so several server processes
 * agree on which run is running and nobody overwrites a run another process ended.
 */
export class MaintenanceRunModel extends SystemModel<typeof maintenanceRuns> {
  constructor() {
    super(maintenanceRuns);
  }

  /**
   * Starts a run of `kind` unless one is running: then that run is returned as the conflict.
   * Older ended runs of the kind beyond `keep` are deleted with their results.
   */
  async begin(input: { kind: MaintenanceKind; total: number; startedBy: string | null; runner: RunnerIdentity; keep: number }): Promise<BeginRunResult> {
    return this.session("maintenance_runs.begin", "write", async (s) => {
      const runs = this.tableIn(s);
      const [running] = await s.db
        .select()
        .from(runs)
        .where(and(eq(runs.kind, input.kind), eq(runs.status, "running")))
        .limit(rowLimit(1));
      if (running) return { conflict: running };
      const now = new Date();
      const [started] = await s.db
        .insert(runs)
        .values({
          id: randomUUID(),
          kind: input.kind,
          status: input.total === 0 ? "completed" : "running",
          total: input.total,
          startedBy: input.startedBy,
          createdAt: now,
          finishedAt: input.total === 0 ? now : null,
          runnerPid: input.runner.pid,
          runnerId: input.runner.id,
          heartbeatAt: now,
        })
        .returning();
      if (!started) throw new InvalidQueryError("maintenance_runs: the insert returned no row.");
      const ended = await s.db
        .select({ id: runs.id })
        .from(runs)
        .where(and(eq(runs.kind, input.kind), inArray(runs.status, ENDED_STATUSES)))
        .orderBy(desc(runs.createdAt), desc(runs.id));
      const stale = ended.slice(input.keep);
      if (stale.length > 0) {
        await s.db.delete(runs).where(
          inArray(
            runs.id,
            stale.map((row) => row.id),
          ),
        );
      }
      return { started };
    });
  }

  /**
   * Appends results and advances the counters in one transaction (`done` always equals the
   * result rows) and renews the heartbeat. Returns whether a cancel was asked for.
   */
  async recordResults(runId: string, outcomes: readonly MaintenanceOutcome[]): Promise<{ cancelRequested: boolean }> {
    return this.session("maintenance_runs.recordResults", "write", async (s) => {
      const runs = this.tableIn(s);
      const { maintenanceResults: results } = s.t;
      if (outcomes.length > 0) {
        const [latest] = await s.db
          .select({ seq: max(results.seq) })
          .from(results)
          .where(eq(results.runId, runId));
        const last = latest?.seq ?? 0;
        await s.db.insert(results).values(
          outcomes.map((outcome, index) => ({
            runId,
            seq: last + index + 1,
            tenantId: outcome.tenantId,
            slug: outcome.slug,
            outcome: outcome.outcome,
            detail: outcome.detail,
            databaseBytes: outcome.databaseBytes,
            durationMs: outcome.durationMs,
          })),
        );
      }
      const failed = outcomes.filter((outcome) => outcome.failed).length;
      const [row] = await s.db
        .update(runs)
        .set({ done: sql`${runs.done} + ${outcomes.length}`, failed: sql`${runs.failed} + ${failed}`, heartbeatAt: new Date() })
        .where(eq(runs.id, runId))
        .returning({ cancelRequestedAt: runs.cancelRequestedAt });
      return { cancelRequested: row?.cancelRequestedAt != null };
    });
  }

  /** Says the run's process is alive (while a long step records nothing). */
  async heartbeat(runId: string, runnerId: string): Promise<void> {
    await this.session("maintenance_runs.heartbeat", "write", async (s) => {
      const runs = this.tableIn(s);
      await s.db
        .update(runs)
        .set({ heartbeatAt: new Date() })
        .where(and(eq(runs.id, runId), eq(runs.runnerId, runnerId), eq(runs.status, "running")));
    });
  }

  /** Ends a running run; a run already ended (by a reconcile, say) is left as it is. */
  async finish(runId: string, status: Exclude<MaintenanceRunStatus, "running">, error: string | null = null): Promise<MaintenanceRunRow | null> {
    return this.session("maintenance_runs.finish", "write", async (s) => {
      const runs = this.tableIn(s);
      const [row] = await s.db
        .update(runs)
        .set({ status, error, finishedAt: new Date() })
        .where(and(eq(runs.id, runId), eq(runs.status, "running")))
        .returning();
      return row ?? null;
    });
  }

  /** Asks a running run to stop; returns the run (ended or not), or null if there is none. */
  async requestCancel(runId: string): Promise<MaintenanceRunRow | null> {
    return this.session("maintenance_runs.requestCancel", "write", async (s) => {
      const runs = this.tableIn(s);
      await s.db
        .update(runs)
        .set({ cancelRequestedAt: new Date() })
        .where(and(eq(runs.id, runId), eq(runs.status, "running"), isNull(runs.cancelRequestedAt)));
      return (await this.selectById(s, runId)) ?? null;
    });
  }

  /** Every registered tenant's id and slug, oldest first: what a run over every tenant visits. */
  async registeredTenants(): Promise<{ tenantId: string; slug: string }[]> {
    return this.session("maintenance_runs.registeredTenants", "read", async (s) => {
      const { tenants } = s.t;
      return s.db.select({ tenantId: tenants.id, slug: tenants.slug }).from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id));
    });
  }

  /** Every run marked running (by any process). */
  async running(): Promise<MaintenanceRunRow[]> {
    return this.findMany({ where: { status: "running" } });
  }

  /** Fails a run its process no longer runs, unless it changed since it was read (same runner, same heartbeat). */
  async markInterrupted(run: Pick<MaintenanceRunRow, "id" | "runnerId" | "heartbeatAt">, reason: string): Promise<boolean> {
    return this.session("maintenance_runs.markInterrupted", "write", async (s) => {
      const runs = this.tableIn(s);
      const marked = await s.db
        .update(runs)
        .set({ status: "failed", error: reason, finishedAt: new Date() })
        .where(
          and(eq(runs.id, run.id), eq(runs.status, "running"), eq(runs.runnerId, run.runnerId), lt(runs.heartbeatAt, new Date(run.heartbeatAt.getTime() + 1))),
        )
        .returning({ id: runs.id });
      return marked.length > 0;
    });
  }

  /** The newest runs, of one kind or all. */
  async recent(kind: MaintenanceKind | undefined, limit: number): Promise<MaintenanceRunRow[]> {
    return this.findMany({
      where: kind === undefined ? undefined : { kind },
      orderBy: [
        { column: "createdAt", direction: "desc" },
        { column: "id", direction: "desc" },
      ],
      limit,
    });
  }

  /** One page of a run's results in the order they were recorded, optionally of one outcome. */
  async results(runId: string, options: { outcome?: string; page: number; pageSize: number }): Promise<Page<MaintenanceResultRow>> {
    if (!Number.isInteger(options.page) || options.page < 1) throw new InvalidQueryError("page must be a whole number of at least 1.");
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1 || options.pageSize > MAX_PAGE_SIZE) {
      throw new InvalidQueryError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
    }
    // One read session: the count and the page see the same snapshot.
    return this.session("maintenance_results.page", "read", async (s) => {
      const { maintenanceResults: results } = s.t;
      const where = and(eq(results.runId, runId), options.outcome === undefined ? undefined : eq(results.outcome, options.outcome));
      const [counted] = await s.db.select({ n: count() }).from(results).where(where);
      const total = counted?.n ?? 0;
      const data = await s.db
        .select()
        .from(results)
        .where(where)
        .orderBy(asc(results.seq))
        .limit(rowLimit(options.pageSize))
        .offset((options.page - 1) * options.pageSize);
      return { data, total, page: options.page, pageSize: options.pageSize, totalPages: Math.ceil(total / options.pageSize) };
    });
  }

  /** How many results of each outcome a run has. */
  async outcomeCounts(runId: string): Promise<Record<string, number>> {
    return this.session("maintenance_results.outcomeCounts", "read", async (s) => {
      const { maintenanceResults: results } = s.t;
      const rows = await s.db.select({ outcome: results.outcome, n: count() }).from(results).where(eq(results.runId, runId)).groupBy(results.outcome);
      return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
    });
  }
}

export const maintenanceRunModel = new MaintenanceRunModel();
