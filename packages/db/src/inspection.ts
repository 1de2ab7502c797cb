import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { TenantDatabaseMissingError } from "./errors.ts";
import { assertTenantId, sharedDatabasePath, tenantDatabasePath } from "./identifiers.ts";

/**
 * Read-only inspection of database files for verifiers outside this package (the reliability
 * suite in reliability/, which may not open SQLite itself: docs/architecture.md, Layers). A
 * connection of its own, opened `readonly` with `fileMustExist`, so inspecting never creates,
 * migrates or changes a file, and never touches the pool of a running server.
 */
export interface FileInspection {
  /** `PRAGMA integrity_check` lines: `["ok"]` when SQLite found nothing wrong; empty when not asked for. */
  integrity: string[];
  /** Rows of the tables asked for, in rowid order, with SQLite's column names. */
  rows: Record<string, Record<string, unknown>[]>;
  /** Every table of the file (sqlite_master), so a caller can tell a missing table from an empty one. */
  tables: string[];
}

export interface InspectionOptions {
  /** Run the full `PRAGMA integrity_check` (reads every page). */
  integrity?: boolean;
  /** Tables whose rows to return; each must exist in the file (names are checked against sqlite_master, never interpolated otherwise). */
  tables?: readonly string[];
}

/** Inspects a registered tenant's file by its registry id (the name comes from tenantDatabasePath only). */
export function inspectTenantFile(dataDir: string, tenantId: string, options: InspectionOptions = {}): FileInspection {
  assertTenantId(tenantId);
  const path = tenantDatabasePath(dataDir, tenantId);
  if (!existsSync(path)) throw new TenantDatabaseMissingError(tenantId);
  return inspectFile(path, options);
}

/** Inspects shared.sqlite of a data directory. */
export function inspectSharedFile(dataDir: string, options: InspectionOptions = {}): FileInspection {
  return inspectFile(sharedDatabasePath(dataDir), options);
}

function inspectFile(path: string, options: InspectionOptions): FileInspection {
  const connection = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = (connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const rows: Record<string, Record<string, unknown>[]> = {};
    for (const table of options.tables ?? []) {
      if (!tables.includes(table)) throw new Error(`The file ${path} has no table ${JSON.stringify(table)}.`);
      // The name is one of sqlite_master's own, quoted as an identifier.
      rows[table] = connection.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}" ORDER BY rowid`).all() as Record<string, unknown>[];
    }
    const integrity = options.integrity ? (connection.pragma("integrity_check") as Record<string, string>[]).map((row) => Object.values(row)[0] ?? "") : [];
    return { integrity, rows, tables };
  } finally {
    connection.close();
  }
}
