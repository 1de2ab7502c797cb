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
