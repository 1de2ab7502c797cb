import { existsSync, statSync } from "node:fs";
import {
  auditLogModel,
  executionModel,
  fileModel,
  HybridDatabaseManager,
  HybridMigrationManager,
  SigilDbError,
  tenantContext,
  toTenantDocument,
  userModel,
  type TenantDocument,
  type TenantRow,
  type TenantSchemaStatus,
} from "@sigil/db";

/** A tenant's schema version against the latest tenant migration (see HybridMigrationManager.status). */
export interface TenantSchemaInfo {
  version: number | null;
  latest: number;
  state: TenantSchemaStatus["state"];
}

/**
 * What a tenant uses, for the admin dashboard. Numbers that live in the tenant's own file are
 * null when that file was not read (missing, unreadable, or behind the code's schema — see
 * `unavailable`): listing tenants must neither fail because of one tenant nor migrate tenants as
 * a side effect of opening them.
 */
export interface TenantUsage {
  /** Seats: active and invited (pending) users, as counted by the users quota. */
  users: number;
  /** Sum of stored file bytes (the storage quota's current use). */
  storageBytes: number | null;
  /** Executions created this calendar month (UTC), as counted by the executions quota. */
  executionsThisMonth: number | null;
  /** Size of the tenant's SQLite file plus its `-wal`, in bytes. */
  databaseBytes: number;
  schema: TenantSchemaInfo;
  /** The newest entry of the tenant's audit log, or null when it has none. */
  lastActivityAt: Date | null;
  /** Why the tenant's file was not read, or null when it was. */
  unavailable: string | null;
}

export type TenantWithUsage = TenantDocument & { usage: TenantUsage };

function manager(): HybridDatabaseManager {
  return HybridDatabaseManager.getInstance();
}

function fileSize(path: string): number {
  try {
    return existsSync(path) ? statSync(path).size : 0;
  } catch {
    return 0;
  }
}

/** Bytes on disk of a tenant's database: the file and its write-ahead log. */
export function tenantDatabaseBytes(tenantId: string): number {
  const path = manager().tenantDatabasePath(tenantId);
  return fileSize(path) + fileSize(`${path}-wal`);
}

/**
 * Schema status of every tenant file (or of `tenantIds`), read without opening the tenant
 * through the pool (which would migrate it on open).
 */
export function schemaStatuses(tenantIds?: string[]): Map<string, TenantSchemaInfo> {
  const statuses = new HybridMigrationManager(manager()).status(tenantIds);
  return new Map(statuses.map((s) => [s.tenantId, { version: s.version, latest: s.latest, state: s.state }]));
}

function describeSchemaProblem(schema: TenantSchemaInfo): string {
  switch (schema.state) {
    case "missing":
      return "The tenant's database file is missing.";
    case "unreadable":
      return "The tenant's database file could not be read.";
    case "behind":
      return `The tenant's schema is at version ${schema.version ?? 0} of ${schema.latest}; run the migrations.`;
    case "up_to_date":
      return "";
  }
}

/** Gathers one tenant's usage inside its own tenant context, with the models. */
export async function tenantUsage(tenant: TenantRow, schema: TenantSchemaInfo | undefined): Promise<TenantUsage> {
  const knownSchema: TenantSchemaInfo = schema ?? { version: null, latest: manager().tenantMigrations().length, state: "missing" };
  return tenantContext.runWithTenant(tenant.id, async () => {
    // Seats live in shared.sqlite: always available.
    const users = await userModel.countSeats();
    const base = { users, databaseBytes: tenantDatabaseBytes(tenant.id), schema: knownSchema };
    if (knownSchema.state !== "up_to_date") {
      return { ...base, storageBytes: null, executionsThisMonth: null, lastActivityAt: null, unavailable: describeSchemaProblem(knownSchema) };
    }
    try {
      const storageBytes = await fileModel.totalBytes();
      const executionsThisMonth = await executionModel.countThisMonth();
      const [latest] = await auditLogModel.findMany({ orderBy: { column: "createdAt", direction: "desc" }, limit: 1 });
      return { ...base, storageBytes, executionsThisMonth, lastActivityAt: latest?.createdAt ?? null, unavailable: null };
    } catch (error) {
      // One broken tenant must not hide every other tenant's usage.
      if (!(error instanceof SigilDbError)) console.error(`Usage of tenant ${tenant.slug} could not be read:`, error);
      const reason = error instanceof SigilDbError ? error.message : "The tenant's database could not be read.";
      return { ...base, storageBytes: null, executionsThisMonth: null, lastActivityAt: null, unavailable: reason };
    }
  });
}

export async function withUsage(tenant: TenantRow, schema: TenantSchemaInfo | undefined): Promise<TenantWithUsage> {
  return { ...toTenantDocument(tenant), usage: await tenantUsage(tenant, schema) };
}
