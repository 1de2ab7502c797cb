import { InvalidQueryError } from "../errors.ts";
import { auditLog } from "../schema/tenant/audit-log.ts";
import type { RowOf } from "./base-model.ts";
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

  /** Append-only: entries are never changed or removed (only with the whole tenant). */
  override async update(): Promise<never> {
    throw new InvalidQueryError("The audit log is append-only: entries cannot be changed.");
  }

  override async delete(): Promise<never> {
    throw new InvalidQueryError("The audit log is append-only: entries cannot be deleted.");
  }
}

export const auditLogModel = new AuditLogModel();
