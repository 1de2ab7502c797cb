import { eq, sql } from "drizzle-orm";
import { InvalidQueryError } from "../errors.ts";
import { adminAuditLog, systemAdminSessions, systemApiKeys } from "../schema/shared/system-admin-access.ts";
import type { RowOf } from "./base-model.ts";
import { failedSignInDetails, failedSignInEntryId, onlyRaisesFailedSignInCount, type FailedSignInWindow } from "./failed-sign-in-audit.ts";
import { SystemModel } from "./strategies.ts";

export type SystemAdminSessionRow = RowOf<typeof systemAdminSessions>;
export type SystemApiKeyRow = RowOf<typeof systemApiKeys>;
export type AdminAuditRow = RowOf<typeof adminAuditLog>;

export class SystemAdminSessionModel extends SystemModel<typeof systemAdminSessions> {
  constructor() {
    super(systemAdminSessions);
  }

  async findByTokenHash(tokenHash: string): Promise<SystemAdminSessionRow | null> {
    return this.findOne({ tokenHash });
  }
}

export class SystemApiKeyModel extends SystemModel<typeof systemApiKeys> {
  constructor() {
    super(systemApiKeys);
  }

  async findByKeyId(keyId: string): Promise<SystemApiKeyRow | null> {
    return this.findOne({ keyId });
  }

  /** Counts a use atomically (concurrent requests never lose one). */
  async recordUse(id: string, at = new Date()): Promise<void> {
    await this.session("system_api_keys.recordUse", "write", async (s) => {
      const keys = this.tableIn(s);
      await s.db
        .update(keys)
        .set({ usageCount: sql`${keys.usageCount} + 1`, lastUsedAt: at })
        .where(eq(keys.id, id));
    });
  }
}

/** What system administrators did to tenants; survives the tenant's deletion. Append-only. */
export class AdminAuditLogModel extends SystemModel<typeof adminAuditLog> {
  constructor() {
    super(adminAuditLog);
  }

  async record(entry: Omit<typeof adminAuditLog.$inferInsert, "id" | "createdAt">): Promise<AdminAuditRow> {
    return this.create(entry);
  }

  /**
   * The one entry of a failed admin sign-in window (`admin.login_failed`), created by its first
   * failure and raised to the window's count by the later ones (models/failed-sign-in-audit.ts).
   */
  async recordFailedSignIns(window: FailedSignInWindow, ip: string | null): Promise<void> {
    const action = "admin.login_failed";
    await this.session("admin_audit_log.recordFailedSignIns", "write", async (s) => {
      const log = this.tableIn(s);
      await s.db
        .insert(log)
        .values({
          id: failedSignInEntryId(window),
          adminId: null,
          action,
          tenantId: null,
          tenantSlug: null,
          details: failedSignInDetails(window, { ip }),
          createdAt: window.windowStartedAt,
        })
        .onConflictDoUpdate({
          target: log.id,
          set: { details: sql`excluded.details` },
          setWhere: onlyRaisesFailedSignInCount(s, log.action, log.details, action),
        });
    });
  }

  override async update(): Promise<never> {
    throw new InvalidQueryError("The admin audit log is append-only: entries cannot be changed.");
  }

  override async delete(): Promise<never> {
    throw new InvalidQueryError("The admin audit log is append-only: entries cannot be deleted.");
  }
}

export const systemAdminSessionModel = new SystemAdminSessionModel();
export const systemApiKeyModel = new SystemApiKeyModel();
export const adminAuditLogModel = new AdminAuditLogModel();
