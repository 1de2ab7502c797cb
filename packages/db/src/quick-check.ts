import { existsSync, statSync } from "node:fs";
import { openSqlite, type OpenOptions } from "./sqlite-file.ts";

// Health of one SQLite file, with nothing of Drizzle or the registry: file worker threads run it
// (src/file-workers/), and HybridDatabaseManager.quickCheck adds the registry's checks around it.

export interface FileQuickCheck {
  /** `problem`: SQLite found damage or could not read the file as a database. */
  state: "ok" | "problem" | "missing";
  /** "ok", SQLite's report (at most 100 lines), or why the file could not be read. */
  result: string;
  /** The file and its write-ahead log on disk, in bytes. */
  databaseBytes: number;
  /** How long the check took. */
  durationMs: number;
}

/** Bytes on disk of a SQLite file and its write-ahead log (0 for what does not exist). */
export function databaseFileBytes(path: string): number {
  let bytes = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      bytes += statSync(file).size;
    } catch {
      // Missing (no WAL yet, or the file was deleted meanwhile): nothing on disk.
    }
  }
  return bytes;
}

/**
 * SQLite's `quick_check` on a connection of its own. Never creates a file and never throws:
 * a missing file and a file that is not a database are outcomes.
 */
export function quickCheckFile(path: string, options: Omit<OpenOptions, "fileMustExist" | "exclusive">): FileQuickCheck {
  const started = performance.now();
  const outcome = (state: FileQuickCheck["state"], result: string): FileQuickCheck => ({
    state,
    result,
    databaseBytes: state === "missing" ? 0 : databaseFileBytes(path),
    durationMs: performance.now() - started,
  });
  if (!existsSync(path)) return outcome("missing", "The database file is missing.");
  let connection;
  try {
    connection = openSqlite(path, { ...options, fileMustExist: true });
    const rows = connection.pragma("quick_check(100)") as Record<string, string>[];
    const lines = rows.map((row) => String(Object.values(row)[0] ?? ""));
    const ok = lines.length === 1 && lines[0] === "ok";
    return outcome(ok ? "ok" : "problem", ok ? "ok" : lines.join("\n") || "SQLite's quick_check returned nothing.");
  } catch (error) {
    // Deleted between the check above and the open: still missing, not corrupt.
    if (!existsSync(path)) return outcome("missing", "The database file is missing.");
    // A header that is not SQLite's, a malformed page: the file is not healthy. Say why.
    return outcome("problem", error instanceof Error ? error.message : String(error));
  } finally {
    connection?.close();
  }
}
