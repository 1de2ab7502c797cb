import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { MAINTENANCE_KINDS, MAINTENANCE_RUN_STATUSES } from "../../shared/maintenance.ts";
import { bigintColumn, idColumn, timestampColumn } from "../columns.ts";
import { sigilShared } from "./schema.ts";

/** Admin operations over many tenants; mirrors ../../shared/maintenance.ts. */
export const maintenanceRuns = sigilShared.table(
  "maintenance_runs",
  {
    id: idColumn(),
    kind: text("kind", { enum: MAINTENANCE_KINDS }).notNull(),
    status: text("status", { enum: MAINTENANCE_RUN_STATUSES }).notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    startedBy: text("started_by"),
    createdAt: timestampColumn("started_at").notNull().defaultNow(),
    finishedAt: timestampColumn("finished_at"),
    cancelRequestedAt: timestampColumn("cancel_requested_at"),
    runnerPid: integer("runner_pid").notNull(),
    runnerId: text("runner_id").notNull(),
    heartbeatAt: timestampColumn("heartbeat_at").notNull(),
    error: text("error"),
  },
  (t) => [
    // The partial unique index is what lets only one run of a kind be running, across processes.
    uniqueIndex("maintenance_runs_one_running")
      .on(t.kind)
      .where(sql`status = 'running'`),
    index("maintenance_runs_kind_started_idx").on(t.kind, t.createdAt),
  ],
);

export const maintenanceResults = sigilShared.table(
  "maintenance_results",
  {
    runId: text("run_id")
      .notNull()
      .references(() => maintenanceRuns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    tenantId: text("tenant_id").notNull(),
    slug: text("slug").notNull(),
    outcome: text("outcome").notNull(),
    detail: text("detail").notNull().default(""),
    databaseBytes: bigintColumn("database_bytes"),
    durationMs: doublePrecision("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index("maintenance_results_outcome_idx").on(t.runId, t.outcome, t.seq)],
);
