import { auditLogModel } from "@sigil/db";
import { pagination, z } from "@sigil/validators";
import { authedProcedure } from "../procedures.ts";
import { startsWithText } from "../services/sql-patterns.ts";
import { router } from "../trpc.ts";

const adminOnly = authedProcedure({ role: "admin" });

/** Not in @sigil/validators yet: `action` filters by prefix, e.g. "prompt." or "auth.login". */
const listAuditInput = pagination.extend({
  action: z.string().trim().min(1).max(100).regex(/^[\w.:-]+$/, "Use letters, digits, dots, colons, dashes and underscores.").optional(),
});

export const auditRouter = router({
  /** The workspace's audit trail, newest first. */
  list: adminOnly.input(listAuditInput.prefault({})).query(({ input }) => {
    const action = input.action;
    return auditLogModel.findWithPagination({
      where: action === undefined ? undefined : (t) => startsWithText(t.action, action),
      orderBy: { column: "createdAt", direction: "desc" },
      page: input.page,
      pageSize: input.pageSize,
    });
  }),
});
