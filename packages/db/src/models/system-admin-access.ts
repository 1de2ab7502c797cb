import { adminAuditLog, systemAdminSessions, systemApiKeys } from "../schema/shared/system-admin-access.ts";
import type { RowOf } from "./base-model.ts";
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
}

/** What system administrators did to tenants; survives the tenant's deletion. */
export class AdminAuditLogModel extends SystemModel<typeof adminAuditLog> {
  constructor() {
    super(adminAuditLog);
  }
}

export const systemAdminSessionModel = new SystemAdminSessionModel();
export const systemApiKeyModel = new SystemApiKeyModel();
export const adminAuditLogModel = new AdminAuditLogModel();
