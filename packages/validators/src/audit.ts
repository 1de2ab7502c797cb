import { z } from "zod";
import { pagination } from "./common.ts";

/** `action` filters by prefix, e.g. "prompt." or "auth.login". */
export const listAuditInput = pagination.extend({
  action: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, "Use letters, digits, dots, colons, dashes and underscores.")
    .optional(),
});
