import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { idColumn, timestampColumn } from "../columns.ts";

/** What a maintenance run does to each tenant (packages/api/src/services/maintenance/tasks.ts). */
export const MAINTENANCE_KINDS = ["health", "migrate", "repair", "backup"] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

export const MAINTENANCE_RUN_STATUSES = ["running", "completed", "failed", "cancelled"] as const;
export type MaintenanceRunStatus = (typeof MAINTENANCE_RUN_STATUSES)[number];

/**
 * An admin operation over many tenants (system data): the whole-installation health check or
 * migration, run by a server process in slices that yield to its event loop, with progress
 * written as it goes (docs/architecture.md, Maintenance runs). At most one run of a kind is
 * `running` (the partial unique index decides, across processes). The process running it
 * renews `heartbeat_at`; a run whose process is gone is marked failed by the next look at it.
 */
export const maintenanceRuns = sqliteTable(
  "maintenance_runs",
  {
    id: idColumn(),
    kind: text("kind", { enum: MAINTENANCE_KINDS }).notNull(),
    status: text("status", { enum: MAINTENANCE_RUN_STATUSES }).notNull(),
    /** Tenants the run will visit, fixed when it starts. */
    total: integer("total").notNull(),
    /** Tenants visited so far (each has a row in maintenance_results). */
    done: integer("done").notNull().default(0),
    /** Visited tenants whose outcome is a failure (health: problem or missing; migrate: failed). */
    failed: integer("failed").notNull().default(0),
    /** The system administrator who started it (no foreign key: the run outlives its starter). */
    startedBy: text("started_by"),
    /** When the run started (the model layer's `createdAt`). */
    createdAt: timestampColumn("started_at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    finishedAt: timestampColumn("finished_at"),
    /** Asked to stop: the runner ends the run as `cancelled` after the slice in flight. */
    cancelRequestedAt: timestampColumn("cancel_requested_at"),
    /** The process running it (pid + a random id per process) and when it last said it is alive. */
    runnerPid: integer("runner_pid").notNull(),
    runnerId: text("runner_id").notNull(),
    heartbeatAt: timestampColumn("heartbeat_at").notNull(),
    /** Why a failed run failed (a step that threw, a restart that interrupted it). */
    error: text("error"),
  },
  (t) => [
    uniqueIndex("maintenance_runs_one_running")
      .on(t.kind)
      .where(sql`status = 'running'`),
    index("maintenance_runs_kind_started_idx").on(t.kind, t.createdAt),
  ],
);

/**
 * One row per tenant a run visited, written in the same transaction as the run's counters, so
 * `done` always equals the number of rows. Read a page at a time, filtered by outcome.
 */
export const maintenanceResults = sqliteTable(
  "maintenance_results",
  {
    runId: text("run_id")
      .notNull()
      .references(() => maintenanceRuns.id, { onDelete: "cascade" }),
    /** Order of completion within the run (stable paging). */
    seq: integer("seq").notNull(),
    /** No foreign key: the result of a tenant deleted since is still what happened. */
    tenantId: text("tenant_id").notNull(),
    slug: text("slug").notNull(),
    /** health: ok | problem | missing; migrate: applied | up_to_date | failed; repair: consistent | repaired | skipped | failed. */
    outcome: text("outcome").notNull(),
    /** What the outcome means here: quick_check's findings, "v2 → v3", an error message. */
    detail: text("detail").notNull().default(""),
    /** The tenant file plus its -wal, in bytes, when the step measured it. */
    databaseBytes: integer("database_bytes"),
    durationMs: real("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index("maintenance_results_outcome_idx").on(t.runId, t.outcome, t.seq)],
);
