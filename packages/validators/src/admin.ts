import { z } from "zod";
import { id, name, pagination } from "./common.ts";

/** System-administrator API keys (`sgla_…`) carry no scopes: they act as their administrator. */
export const createSystemApiKeyInput = z.object({ name: name(100) });
export const revokeSystemApiKeyInput = z.object({ id });

/** The admin audit log, newest first; optionally one tenant's entries or one action. */
export const adminAuditInput = pagination
  .extend({
    tenantId: id.optional(),
    action: z.string().trim().min(1).max(100).optional(),
  })
  .default({ page: 1, pageSize: 20 });

/** Schema states the control plane records (tenant_usage.schema_version against the latest migration). */
export const CONTROL_PLANE_SCHEMA_STATES = ["up_to_date", "behind", "unknown"] as const;

/** One page of tenants' schema versions, optionally only one state. */
export const migrationStatusInput = z
  .object({
    page: z.int().min(1).max(1_000_000).default(1),
    pageSize: z.int().min(1).max(100, "A page holds at most 100 tenants.").default(100),
    state: z.enum(CONTROL_PLANE_SCHEMA_STATES).optional(),
  })
  .default({ page: 1, pageSize: 100 });

export type MigrationStatusInput = z.output<typeof migrationStatusInput>;
