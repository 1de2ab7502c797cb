import { z } from "zod";
import { id, pagination } from "./common.ts";

/** What a maintenance run does to each tenant (mirrors @sigil/db's MAINTENANCE_KINDS). */
export const MAINTENANCE_KIND_NAMES = ["health", "migrate", "repair", "backup"] as const;
export const maintenanceKind = z.enum(MAINTENANCE_KIND_NAMES, { error: 'The kind must be "health", "migrate", "repair" or "backup".' });

/** Every outcome a result can have (health: ok, problem, missing; migrate: applied, up_to_date, failed; repair: consistent, repaired, skipped, failed; backup: copied, reused, failed; health and backup: on_postgres, a tenant moved to TENANT_POSTGRES_URL; all: deleted). */
export const MAINTENANCE_OUTCOME_NAMES = [
  "ok",
  "problem",
  "missing",
  "applied",
  "up_to_date",
  "consistent",
  "repaired",
  "skipped",
  "copied",
  "reused",
  "failed",
  "deleted",
  "on_postgres",
] as const;
export type MaintenanceOutcomeName = (typeof MAINTENANCE_OUTCOME_NAMES)[number];

/** Start a run over every tenant, or only the listed ones. */
export const startMaintenanceRunInput = z.object({
  kind: maintenanceKind,
  tenantIds: z.array(id).min(1, "List at least one tenant, or leave the list out for every tenant.").max(100_000).optional(),
});

export const maintenanceRunInput = z.object({ id });

/** The newest runs, of one kind or all. */
export const maintenanceRunsInput = z.object({ kind: maintenanceKind.optional(), limit: z.int().min(1).max(50).default(10) }).default({ limit: 10 });

/** One page of a run's results, optionally of one outcome. */
export const maintenanceResultsInput = pagination.extend({
  runId: id,
  outcome: z.enum(MAINTENANCE_OUTCOME_NAMES, { error: `The outcome must be one of ${MAINTENANCE_OUTCOME_NAMES.join(", ")}.` }).optional(),
});
