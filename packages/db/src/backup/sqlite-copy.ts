import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, fsyncSync, openSync, closeSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { readSchemaVersion } from "../migrations/apply-migrations.ts";
import type { MigrationFile } from "../migrations/migration-files.ts";

/**
 * Consistent copies of live SQLite files, for backups and tenant archives. One primitive, so that
 * every copy Sigil writes is taken, verified and described the same way.
 */
export interface SqliteCopy {
  /** Bytes of the copy (a single file: the copy has no write-ahead log). */
  bytes: number;
  /** Hex SHA-256 of the copy's bytes. */
  sha256: string;
  /** Migrations the copy has applied (readSchemaVersion against the migrations given). */
  schemaVersion: number;
}

export interface CopyOptions {
  /** The migration folder the file belongs to (shared or tenant), to read its schema version. */
  migrations: readonly MigrationFile[];
  /** Called after each page step: pages copied so far and the total. */
  onProgress?: (copiedPages: number, totalPages: number) => void;
}

/**
 * Copies a SQLite database that other connections (the server, the worker) may be writing, into
 * `destination`, atomically: the copy is written to a temporary name beside it, checked with
 * `integrity_check`, flushed, and only then renamed into place, so a reader never sees a
 * half-written copy and a failure leaves nothing behind.
 *
 * SQLite's online backup API restarts a copy when another connection writes between two steps.
 * A copy made of many small steps can therefore restart forever under a steady writer; here the
 * whole file is copied in one step after the first, which holds one read transaction (WAL lets
 * writers go on meanwhile) and so yields exactly the state of one committed point.
 */
export async function copyLiveDatabase(source: string, destination: string, options: CopyOptions): Promise<SqliteCopy> {
  if (!existsSync(source)) throw new Error(`Cannot copy ${source}: the file does not exist.`);
  if (!existsSync(dirname(destination))) throw new Error(`Cannot write ${destination}: the folder ${dirname(destination)} does not exist.`);
  const partial = `${destination}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const connection = new Database(source, { readonly: true, fileMustExist: true, timeout: 5_000 });
  try {
    await connection.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.(totalPages - remainingPages, totalPages);
        return 0x7fffffff;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    connection.close();
  }
  try {
    makeSelfContained(partial);
    const { schemaVersion } = verifySqliteFile(partial, options.migrations);
    flushToDisk(partial);
    renameSync(partial, destination);
    flushToDisk(dirname(destination));
    return { bytes: statSync(destination).size, sha256: await fileSha256(destination), schemaVersion };
  } catch (error) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${partial}${suffix}`, { force: true });
    throw error;
  }
}

/**
 * The copy inherits the source's WAL mode; in rollback-journal mode it is one self-contained file
 * that opening read-only leaves alone (no -wal or -shm beside it). Opening it for use turns WAL on
 * again (src/sqlite-file.ts).
 */
function makeSelfContained(path: string): void {
  const connection = new Database(path, { fileMustExist: true });
  try {
    connection.pragma("journal_mode = DELETE");
  } finally {
    connection.close();
  }
}

export class SqliteFileDamagedError extends Error {
  constructor(
    readonly path: string,
    readonly report: string,
  ) {
    super(`${path} is not a healthy SQLite database: ${report}`);
    this.name = "SqliteFileDamagedError";
  }
}

/**
 * Opens a file read-only and runs the full `integrity_check`; returns its schema version. Throws
 * SqliteFileDamagedError when SQLite cannot read it or reports damage.
 */
export function verifySqliteFile(path: string, migrations: readonly MigrationFile[]): { schemaVersion: number } {
  let connection: Database.Database | undefined;
  try {
    connection = new Database(path, { readonly: true, fileMustExist: true });
    const lines = (connection.pragma("integrity_check(20)") as Record<string, string>[]).map((row) => String(Object.values(row)[0] ?? ""));
    if (lines.length !== 1 || lines[0] !== "ok") throw new SqliteFileDamagedError(path, lines.join("; ") || "integrity_check returned nothing");
    return { schemaVersion: readSchemaVersion(connection, migrations) };
  } catch (error) {
    if (error instanceof SqliteFileDamagedError) throw error;
    throw new SqliteFileDamagedError(path, error instanceof Error ? error.message : String(error));
  } finally {
    connection?.close();
  }
}

/** Hex SHA-256 of a file's bytes, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** fsync of a file or a directory (a rename is durable once its directory is flushed). */
export function flushToDisk(path: string): void {
  const descriptor = openSync(path, "r");
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
