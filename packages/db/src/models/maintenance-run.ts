import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, lt, max, sql } from "drizzle-orm";
import { InvalidQueryError } from "../errors.ts";
import { tenants } from "../schema/shared/tenants.ts";
import { maintenanceResults, maintenanceRuns, type MaintenanceKind, type MaintenanceRunStatus } from "../schema/shared/maintenance.ts";
import { MAX_PAGE_SIZE, type Page, type RowOf } from "./base-model.ts";
import { SystemModel } from "./strategies.ts";

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
    return this.withDatabase("maintenance_runs.begin", (db) =>
      this.transaction(db, (tx) => {
        const running = tx
          .select()
          .from(maintenanceRuns)
          .where(and(eq(maintenanceRuns.kind, input.kind), eq(maintenanceRuns.status, "running")))
          .get();
        if (running) return { conflict: running };
        const now = new Date();
        const started = tx
          .insert(maintenanceRuns)
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
          .returning()
          .get();
        const stale = tx
          .select({ id: maintenanceRuns.id })
          .from(maintenanceRuns)
          .where(and(eq(maintenanceRuns.kind, input.kind), inArray(maintenanceRuns.status, ENDED_STATUSES)))
          .orderBy(desc(maintenanceRuns.createdAt), desc(maintenanceRuns.id))
          .all()
          .slice(input.keep);
        if (stale.length > 0) {
          tx.delete(maintenanceRuns)
            .where(
              inArray(
                maintenanceRuns.id,
                stale.map((row) => row.id),
              ),
            )
            .run();
        }
        return { started };
      }),
    );
  }

  /**
   * Appends results and advances the counters in one transaction (`done` always equals the
   * result rows) and renews the heartbeat. Returns whether a cancel was asked for.
   */
  async recordResults(runId: string, outcomes: readonly MaintenanceOutcome[]): Promise<{ cancelRequested: boolean }> {
    return this.withDatabase("maintenance_runs.recordResults", (db) =>
      this.transaction(db, (tx) => {
        if (outcomes.length > 0) {
          const last =
            tx
              .select({ seq: max(maintenanceResults.seq) })
              .from(maintenanceResults)
              .where(eq(maintenanceResults.runId, runId))
              .get()?.seq ?? 0;
          tx.insert(maintenanceResults)
            .values(
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
            )
            .run();
        }
        const failed = outcomes.filter((outcome) => outcome.failed).length;
        const row = tx
          .update(maintenanceRuns)
          .set({ done: sql`${maintenanceRuns.done} + ${outcomes.length}`, failed: sql`${maintenanceRuns.failed} + ${failed}`, heartbeatAt: new Date() })
          .where(eq(maintenanceRuns.id, runId))
          .returning({ cancelRequestedAt: maintenanceRuns.cancelRequestedAt })
          .get();
        return { cancelRequested: row?.cancelRequestedAt != null };
      }),
    );
  }

  /** Says the run's process is alive (while a long step records nothing). */
  async heartbeat(runId: string, runnerId: string): Promise<void> {
    this.withDatabase("maintenance_runs.heartbeat", (db) =>
      db
        .update(maintenanceRuns)
        .set({ heartbeatAt: new Date() })
        .where(and(eq(maintenanceRuns.id, runId), eq(maintenanceRuns.runnerId, runnerId), eq(maintenanceRuns.status, "running")))
        .run(),
    );
  }

  /** Ends a running run; a run already ended (by a reconcile, say) is left as it is. */
  async finish(runId: string, status: Exclude<MaintenanceRunStatus, "running">, error: string | null = null): Promise<MaintenanceRunRow | null> {
    return this.withDatabase(
      "maintenance_runs.finish",
      (db) =>
        db
          .update(maintenanceRuns)
          .set({ status, error, finishedAt: new Date() })
          .where(and(eq(maintenanceRuns.id, runId), eq(maintenanceRuns.status, "running")))
          .returning()
          .get() ?? null,
    );
  }

  /** Asks a running run to stop; returns the run (ended or not), or null if there is none. */
  async requestCancel(runId: string): Promise<MaintenanceRunRow | null> {
    return this.withDatabase("maintenance_runs.requestCancel", (db) => {
      db.update(maintenanceRuns)
        .set({ cancelRequestedAt: new Date() })
        .where(and(eq(maintenanceRuns.id, runId), eq(maintenanceRuns.status, "running"), sql`${maintenanceRuns.cancelRequestedAt} IS NULL`))
        .run();
      return db.select().from(maintenanceRuns).where(eq(maintenanceRuns.id, runId)).get() ?? null;
    });
  }

  /** Every registered tenant's id and slug, oldest first: what a run over every tenant visits. */
  async registeredTenants(): Promise<{ tenantId: string; slug: string }[]> {
    return this.withDatabase("maintenance_runs.registeredTenants", (db) =>
      db.select({ tenantId: tenants.id, slug: tenants.slug }).from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.id)).all(),
    );
  }

  /** Every run marked running (by any process). */
  async running(): Promise<MaintenanceRunRow[]> {
    return this.withDatabase("maintenance_runs.running", (db) => db.select().from(maintenanceRuns).where(eq(maintenanceRuns.status, "running")).all());
  }

  /** Fails a run its process no longer runs, unless it changed since it was read (same runner, same heartbeat). */
  async markInterrupted(run: Pick<MaintenanceRunRow, "id" | "runnerId" | "heartbeatAt">, reason: string): Promise<boolean> {
    return this.withDatabase("maintenance_runs.markInterrupted", (db) => {
      const result = db
        .update(maintenanceRuns)
        .set({ status: "failed", error: reason, finishedAt: new Date() })
        .where(
          and(
            eq(maintenanceRuns.id, run.id),
            eq(maintenanceRuns.status, "running"),
            eq(maintenanceRuns.runnerId, run.runnerId),
            lt(maintenanceRuns.heartbeatAt, new Date(run.heartbeatAt.getTime() + 1)),
          ),
        )
        .run() as { changes: number };
      return result.changes > 0;
    });
  }

  /** The newest runs, of one kind or all. */
  async recent(kind: MaintenanceKind | undefined, limit: number): Promise<MaintenanceRunRow[]> {
    return this.withDatabase("maintenance_runs.recent", (db) =>
      db
        .select()
        .from(maintenanceRuns)
        .where(kind === undefined ? undefined : eq(maintenanceRuns.kind, kind))
        .orderBy(desc(maintenanceRuns.createdAt), desc(maintenanceRuns.id))
        .limit(limit)
        .all(),
    );
  }

  /** One page of a run's results in the order they were recorded, optionally of one outcome. */
  async results(runId: string, options: { outcome?: string; page: number; pageSize: number }): Promise<Page<MaintenanceResultRow>> {
    if (!Number.isInteger(options.page) || options.page < 1) throw new InvalidQueryError("page must be a whole number of at least 1.");
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1 || options.pageSize > MAX_PAGE_SIZE) {
      throw new InvalidQueryError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
    }
    const where = and(eq(maintenanceResults.runId, runId), options.outcome === undefined ? undefined : eq(maintenanceResults.outcome, options.outcome));
    return this.withDatabase("maintenance_results.page", (db) =>
      this.transaction(
        db,
        (tx) => {
          const total = tx.select({ n: count() }).from(maintenanceResults).where(where).get()?.n ?? 0;
          const data = tx
            .select()
            .from(maintenanceResults)
            .where(where)
            .orderBy(asc(maintenanceResults.seq))
            .limit(options.pageSize)
            .offset((options.page - 1) * options.pageSize)
            .all();
          return { data, total, page: options.page, pageSize: options.pageSize, totalPages: Math.ceil(total / options.pageSize) };
        },
        "deferred",
      ),
    );
  }

  /** How many results of each outcome a run has. */
  async outcomeCounts(runId: string): Promise<Record<string, number>> {
    return this.withDatabase("maintenance_results.outcomeCounts", (db) => {
      const rows = db
        .select({ outcome: maintenanceResults.outcome, n: count() })
        .from(maintenanceResults)
        .where(eq(maintenanceResults.runId, runId))
        .groupBy(maintenanceResults.outcome)
        .all();
      return Object.fromEntries(rows.map((row) => [row.outcome, row.n]));
    });
  }
}

export const maintenanceRunModel = new MaintenanceRunModel();
