import Database from "better-sqlite3";
import type { SynchronousLevel } from "./settings.ts";
import { cacheStatements } from "./statement-cache.ts";

// Opening SQLite files, with nothing of Drizzle or the schemas: migration worker threads import
// only this, which keeps their start-up short.

export type SqliteConnection = Database.Database;

export interface OpenOptions {
  /** Existing tenant files are opened with true, so a wrong path never creates an empty database. */
  fileMustExist: boolean;
  synchronous: SynchronousLevel;
  busyTimeoutMs: number;
  /** Hold the file's lock from the first write until close (provisioning). */
  exclusive?: boolean;
  /**
   * false: foreign keys off, for a connection that only migrates and closes
   * (migrate-tenant-file.ts; applyMigrations checks them itself). Default true.
   */
  foreignKeys?: boolean;
}

let openedInThisThread = 0;

/**
 * How many connections openSqlite opened in this thread so far. The control-plane benchmark reads it
 * around an idle worker tick: the target is that it opens no tenant file (bench/control-plane).
 */
export function sqliteOpenCount(): number {
  return openedInThisThread;
}

/** Opens a SQLite file with the pragmas every Sigil connection uses (docs/architecture.md: Connections and pragmas). */
export function openSqlite(path: string, options: OpenOptions): SqliteConnection {
  const connection = new Database(path, { fileMustExist: options.fileMustExist, timeout: options.busyTimeoutMs });
  openedInThisThread += 1;
  try {
    if (options.exclusive) connection.pragma("locking_mode = EXCLUSIVE");
    connection.pragma("journal_mode = WAL");
    connection.pragma(`synchronous = ${options.synchronous}`);
    // Always said: better-sqlite3 builds SQLite with foreign keys on by default.
    connection.pragma(`foreign_keys = ${options.foreignKeys === false ? "OFF" : "ON"}`);
    connection.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    cacheStatements(connection);
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
