import { sql } from "drizzle-orm";
import { InvalidQueryError } from "../errors.ts";
import { auditLog } from "../schema/tenant/audit-log.ts";
import type { RowOf } from "./base-model.ts";
import { failedSignInDetails, failedSignInEntryId, onlyRaisesFailedSignInCount, type FailedSignInWindow } from "./failed-sign-in-audit.ts";
import { IsolatedModel } from "./strategies.ts";

export type AuditLogRow = RowOf<typeof auditLog>;

/** The tenant's append-only audit trail, in the tenant's own file. */
export class AuditLogModel extends IsolatedModel<typeof auditLog> {
  constructor() {
    super(auditLog);
  }

  async record(entry: typeof auditLog.$inferInsert extends infer E ? Omit<E, "id" | "createdAt"> : never): Promise<AuditLogRow> {
    return this.create(entry);
  }

  /**
   * The one entry of a failed-sign-in window (`auth.login_failed`), created by its first failure
   * and raised to the window's count by the later ones (models/failed-sign-in-audit.ts).
   */
  async recordFailedSignIns(window: FailedSignInWindow, ip: string | null): Promise<void> {
    const action = "auth.login_failed";
    await this.session("audit_log.recordFailedSignIns", "write", async (session) => {
      const { db, t } = session;
      const { auditLog } = t;
      await db
        .insert(auditLog)
        .values({
          id: failedSignInEntryId(window),
          actorType: "system",
          actorId: null,
          action,
          targetType: null,
          targetId: null,
          details: failedSignInDetails(window),
          ip,
          createdAt: window.windowStartedAt,
        })
        .onConflictDoUpdate({
          target: auditLog.id,
          set: { details: sql`excluded.details`, ip: sql`excluded.ip` },
          setWhere: onlyRaisesFailedSignInCount(session, auditLog.action, auditLog.details, action),
        });
    });
  }

  /** Append-only: entries are never changed or removed (only with the whole tenant). */
  override async update(): Promise<never> {
    throw new InvalidQueryError("The audit log is append-only: entries cannot be changed.");
  }

  override async delete(): Promise<never> {
    throw new InvalidQueryError("The audit log is append-only: entries cannot be deleted.");
  }
}

export const auditLogModel = new AuditLogModel();
