import {
  HybridDatabaseManager,
  HybridMigrationManager,
  toTenantDocument,
  type TenantDocument,
  type TenantRow,
  type TenantSchemaStatus,
  type TenantUsageSnapshot,
} from "@sigil/db";

/** A tenant's schema version against the latest tenant migration (see HybridMigrationManager.status). */
export interface TenantSchemaInfo {
  version: number | null;
  latest: number;
  /** unknown: the control plane never recorded the file's version (the other states come from reading the file). */
  state: TenantSchemaStatus["state"] | "unknown";
}

/**
 * What a tenant uses, for the admin dashboard, from the control plane (shared.sqlite's mirror of
 * each file's trigger-kept totals; docs/architecture.md, The control-plane mirror): listing
 * tenants never opens a tenant file.
 */
export interface TenantUsage {
  /** Seats: active and invited (pending) users, as counted by the users quota. */
  users: number;
  /** Sum of stored file bytes (the storage quota's current use). */
  storageBytes: number;
  fileCount: number;
  promptCount: number;
  /** Executions created this calendar month (UTC), as counted by the executions quota. */
  executionsThisMonth: number;
  /** Size of the tenant's SQLite file plus its `-wal`, in bytes, as last measured (slow timer, repair). */
  databaseBytes: number;
  databaseMeasuredAt: Date | null;
  schema: TenantSchemaInfo;
  /** The newest entry of the tenant's audit log, or null when it has none. */
  lastActivityAt: Date | null;
  /** Why the numbers may be out of date (the file's schema is behind or was never recorded), or null. */
  unavailable: string | null;
}

export type TenantWithUsage = TenantDocument & { usage: TenantUsage };

function manager(): HybridDatabaseManager {
  return HybridDatabaseManager.getInstance();
}

/**
 * Schema status of every tenant file (or of `tenantIds`), read without opening the tenant
 * through the pool (which would migrate it on open).
 */
export async function schemaStatuses(tenantIds?: string[]): Promise<Map<string, TenantSchemaInfo>> {
  const statuses = await new HybridMigrationManager(manager()).status(tenantIds);
  return new Map(statuses.map((s) => [s.tenantId, { version: s.version, latest: s.latest, state: s.state }]));
}

function describeSchemaProblem(schema: TenantSchemaInfo): string | null {
  switch (schema.state) {
    case "unknown":
      return "The schema version of the tenant's file was never recorded; run the migrations or pnpm db:repair.";
    case "missing":
      return "The tenant's database file is missing.";
    case "unreadable":
      return "The tenant's database file could not be read.";
    case "behind":
      return `The tenant's schema is at version ${schema.version ?? 0} of ${schema.latest}; run the migrations.`;
    case "up_to_date":
      return null;
  }
}

/** A tenant document with its usage as the control plane holds it. */
export function toTenantWithUsage(tenant: TenantRow, usage: TenantUsageSnapshot): TenantWithUsage {
  return {
    ...toTenantDocument(tenant),
    usage: {
      users: usage.users,
      storageBytes: usage.storageBytes,
      fileCount: usage.fileCount,
      promptCount: usage.promptCount,
      executionsThisMonth: usage.executionsThisMonth,
      databaseBytes: usage.databaseBytes,
      databaseMeasuredAt: usage.databaseMeasuredAt,
      schema: usage.schema,
      lastActivityAt: usage.lastActivityAt,
      unavailable: describeSchemaProblem(usage.schema),
    },
  };
}
