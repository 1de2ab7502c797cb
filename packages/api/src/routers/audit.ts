import { auditLogModel, startsWithText } from "@sigil/db";
import { listAuditInput } from "@sigil/validators";
import { authedProcedure } from "../procedures.ts";

import { router } from "../trpc.ts";

const adminOnly = authedProcedure({ role: "admin" });

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
