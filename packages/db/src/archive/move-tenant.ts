import { existsSync, rmSync } from "node:fs";
import { eq, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { openSqlite, wrapTenant, type SqliteConnection } from "../connection.ts";
import type { Session } from "../engine/session.ts";
import { sqliteTables } from "../engine/tables.ts";
import { TenantDatabaseMissingError, TenantMoveError } from "../errors.ts";
import type { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { PgEngine } from "../pg/pg-engine.ts";
import { assertTenantId, provisioningDatabasePath, sqliteCompanionFiles } from "../identifiers.ts";
import { applyMigrations } from "../migrations/apply-migrations.ts";
import type { TenantPlacement } from "../schema/shared/tenants.ts";
import {
  checksumDifferences,
  copyTenantRows,
  tenantChecksums,
  tenantTableOrder,
  type CopyProgress,
  type TableChecksum,
  type TableCopy,
} from "./copy-tenant-rows.ts";

/**
 * Moves one tenant's own tables between its SQLite file and a schema of TENANT_POSTGRES_URL's
 * PostgreSQL (`sigil tenants move`; docs/scaling.md). The registry and the shared models stay in
 * shared.sqlite: only `placement` changes. The caller puts the tenant in maintenance first
 * (packages/api/src/services/tenant-move.ts), so only writes already in flight can reach it.
 *
 * Each direction holds the source's write lock from before the first row is read until the source
 * is fenced, so no write lands between the copy and the switch; the target's rows are compared with
 * the source's (count and SHA-256 per table) before the registry names the target. A failure before
 * the switch leaves the tenant where it was and the target removed; a writer that was waiting on
 * the source's lock fails once it gets it (a fence on the file, the schema dropped), instead of
 * writing where nobody will read.
 */

export type MoveStep = "checking" | "copying" | "verifying" | "switching" | "cleaning up";

export interface MoveProgress {
  step: MoveStep;
  /** While copying: the table just copied. */
  table?: CopyProgress;
}

export interface TenantMoveReport {
  tenantId: string;
  from: TenantPlacement;
  to: TenantPlacement;
  tables: TableCopy[];
  rows: number;
  durationMs: number;
}

export interface MoveOptions {
  onProgress?: (progress: MoveProgress) => void;
  /** Tests only: changes the target after the copy, to show that a mismatch stops the move. */
  afterCopy?: (target: Session) => Promise<void>;
}

/** Moves tenant `tenantId` to `to`; refuses a tenant already there. */
export async function moveTenantStorage(
  manager: HybridDatabaseManager,
  tenantId: string,
  to: TenantPlacement,
  options: MoveOptions = {},
): Promise<TenantMoveReport> {
  assertTenantId(tenantId);
  const started = performance.now();
  options.onProgress?.({ step: "checking" });
  const engine = manager.placementEngine();
  const from = manager.tenantPlacement(tenantId);
  if (from === to) throw new TenantMoveError(`Tenant ${tenantId} already lives ${where(to)}; nothing to move.`);
  const move = to === "postgres" ? moveToPostgres : moveToSqlite;
  const tables = await move(manager, engine, tenantId, options);
  return { tenantId, from, to, tables, rows: tables.reduce((sum, table) => sum + table.rows, 0), durationMs: performance.now() - started };
}

function where(placement: TenantPlacement): string {
  return placement === "postgres" ? "in PostgreSQL (TENANT_POSTGRES_URL)" : "in its SQLite file";
}

async function moveToPostgres(manager: HybridDatabaseManager, engine: PgEngine, tenantId: string, options: MoveOptions): Promise<TableCopy[]> {
  const source = openSource(manager, tenantId);
  let copied: TableCopy[];
  try {
    applyMigrations(source, manager.tenantMigrations());
    beginImmediate(source, tenantId);
    // Checked again under the lock: a concurrent move of the same tenant may have finished meanwhile.
    assertStill(manager, tenantId, "local");
    // A schema left by a move that died before its switch holds nothing anyone reads.
    await engine.dropTenantSchema(tenantId);
    const session: Session = { engine: "sqlite", db: wrapTenant(source), t: sqliteTables };
    const expected = await tenantChecksums(session);
    copied = await engine.createTenantSchema(tenantId, async (target) => {
      options.onProgress?.({ step: "copying" });
      const tables = await copyTenantRows(session, target, (table) => options.onProgress?.({ step: "copying", table }));
      await options.afterCopy?.(target);
      options.onProgress?.({ step: "verifying" });
      assertSameRows(tenantId, expected, await tenantChecksums(target));
      return tables;
    });
    options.onProgress?.({ step: "switching" });
    try {
      await setPlacement(manager, tenantId, "postgres");
    } catch (error) {
      await engine.dropTenantSchema(tenantId);
      throw error;
    }
    fenceMovedFile(source);
    source.exec("COMMIT");
  } finally {
    if (source.inTransaction) source.exec("ROLLBACK");
    source.close();
  }
  options.onProgress?.({ step: "cleaning up" });
  manager.removeTenantDatabase(tenantId);
  return copied;
}

async function moveToSqlite(manager: HybridDatabaseManager, engine: PgEngine, tenantId: string, options: MoveOptions): Promise<TableCopy[]> {
  return engine.withTenantSchemaLocked(tenantId, async (source, dropSchema) => {
    assertStill(manager, tenantId, "postgres");
    // Files left by a move back that died before its switch: the tenant still lives in PostgreSQL.
    for (const leftover of [manager.tenantDatabasePath(tenantId), provisioningDatabasePath(manager.options.dataDir, tenantId)]) {
      for (const file of sqliteCompanionFiles(leftover)) rmSync(file, { force: true });
    }
    const expected = await tenantChecksums(source);
    const copied = await manager.provisionTenantDatabase(tenantId, async (building) => {
      const target: Session = { engine: "sqlite", db: wrapTenant(building), t: sqliteTables };
      options.onProgress?.({ step: "copying" });
      building.exec("BEGIN IMMEDIATE");
      try {
        const tables = await copyTenantRows(source, target, (table) => options.onProgress?.({ step: "copying", table }));
        await options.afterCopy?.(target);
        options.onProgress?.({ step: "verifying" });
        assertSameRows(tenantId, expected, await tenantChecksums(target));
        building.exec("COMMIT");
        options.onProgress?.({ step: "switching" });
        // Registered while the file is still locked and unnamed: a process that dies here leaves a
        // file the next start renames into place (HybridDatabaseManager.reclaimInterruptedProvisioning).
        await setPlacement(manager, tenantId, "local");
        return tables;
      } finally {
        if (building.inTransaction) building.exec("ROLLBACK");
      }
    });
    options.onProgress?.({ step: "cleaning up" });
    await dropSchema();
    return copied;
  });
}

function assertStill(manager: HybridDatabaseManager, tenantId: string, placement: TenantPlacement): void {
  if (manager.tenantPlacement(tenantId) !== placement) {
    throw new TenantMoveError(`Tenant ${tenantId} was moved by another command meanwhile; nothing was moved by this one.`);
  }
}

/** The tenant's file on a connection of its own (the pool's handle is not disturbed). */
function openSource(manager: HybridDatabaseManager, tenantId: string): SqliteConnection {
  const path = manager.tenantDatabasePath(tenantId);
  if (!existsSync(path)) throw new TenantDatabaseMissingError(tenantId);
  return openSqlite(path, { fileMustExist: true, synchronous: manager.options.synchronous, busyTimeoutMs: manager.options.busyTimeoutMs });
}

/** SQLite's write lock on the source, or a sentence when another writer kept it past the busy timeout. */
function beginImmediate(connection: SqliteConnection, tenantId: string): void {
  try {
    connection.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if ((error as { code?: unknown }).code !== "SQLITE_BUSY") throw error;
    throw new TenantMoveError(`Tenant ${tenantId}'s file stayed busy with another writer; nothing was moved. Try again.`, { cause: error });
  }
}

function assertSameRows(tenantId: string, expected: Record<string, TableChecksum>, actual: Record<string, TableChecksum>): void {
  const differences = checksumDifferences(expected, actual);
  if (differences.length > 0) {
    throw new TenantMoveError(`The copy of tenant ${tenantId} does not match its source (${differences.join("; ")}); nothing was moved.`);
  }
}

async function setPlacement(manager: HybridDatabaseManager, tenantId: string, placement: TenantPlacement): Promise<void> {
  await manager.sharedStore().session("write", async (s) => {
    await s.db.update(s.t.tenants).set({ placement, updatedAt: new Date() }).where(eq(s.t.tenants.id, tenantId));
  });
}

const FENCE_MESSAGE = "This workspace moved to PostgreSQL while the write waited; nothing was written. Retry the request.";

/**
 * Makes every write to the moved file fail, in the transaction that still holds its lock: a writer
 * of another process waiting for that lock (it chose the file before the switch) then fails
 * instead of writing into a file about to be removed.
 */
function fenceMovedFile(connection: SqliteConnection): void {
  for (const key of tenantTableOrder()) {
    const table = getTableName(sqliteTables[key] as unknown as SQLiteTable);
    for (const operation of ["INSERT", "UPDATE", "DELETE"]) {
      connection.exec(
        `CREATE TRIGGER "moved_${table}_${operation.toLowerCase()}" BEFORE ${operation} ON "${table}" BEGIN SELECT RAISE(ABORT, '${FENCE_MESSAGE}'); END`,
      );
    }
  }
}
