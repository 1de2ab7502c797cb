import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { sharedSchema, tenantSchema } from "./schema/index.ts";
import type { SynchronousLevel } from "./settings.ts";

export type SqliteConnection = Database.Database;
export type SharedDatabase = BetterSQLite3Database<typeof sharedSchema> & { $client: SqliteConnection };
export type TenantDatabase = BetterSQLite3Database<typeof tenantSchema> & { $client: SqliteConnection };

export interface OpenOptions {
  /** Existing tenant files are opened with true, so a wrong path never creates an empty database. */
  fileMustExist: boolean;
  synchronous: SynchronousLevel;
  busyTimeoutMs: number;
  /** Hold the file's lock from the first write until close (provisioning). */
  exclusive?: boolean;
}

/** Opens a SQLite file with the pragmas every Sigil connection uses (ARCHITECTURE.md: Storage). */
export function openSqlite(path: string, options: OpenOptions): SqliteConnection {
  const connection = new Database(path, { fileMustExist: options.fileMustExist, timeout: options.busyTimeoutMs });
  try {
    if (options.exclusive) connection.pragma("locking_mode = EXCLUSIVE");
    connection.pragma("journal_mode = WAL");
    connection.pragma(`synchronous = ${options.synchronous}`);
    connection.pragma("foreign_keys = ON");
    connection.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}

/** True when another connection holds a lock on the file (checked without waiting). */
export function isLockedByAnotherConnection(path: string): boolean {
  let probe: SqliteConnection | undefined;
  try {
    probe = new Database(path, { fileMustExist: true, timeout: 0 });
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("ROLLBACK");
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === "SQLITE_BUSY";
  } finally {
    probe?.close();
  }
}

export function wrapShared(connection: SqliteConnection): SharedDatabase {
  return drizzle({ client: connection, schema: sharedSchema });
}

export function wrapTenant(connection: SqliteConnection): TenantDatabase {
  return drizzle({ client: connection, schema: tenantSchema });
}
