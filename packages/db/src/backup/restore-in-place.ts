import Database from "better-sqlite3";
import { copyFileSync, rmSync } from "node:fs";

/**
 * Writes a verified backup copy INTO a live SQLite file, through SQLite's online backup API with
 * the live file as the destination, instead of renaming the copy over it.
 *
 * Why: other processes (the web server, the worker) hold pooled connections to the live file.
 * Renaming another file over it would leave them writing into the unlinked old inode and its
 * `-wal`/`-shm`, which no longer belong to the file on disk: lost writes or a corrupt mix. The
 * backup API instead writes the pages through SQLite's own locking: the destination is held in
 * one write transaction until the copy is complete, so every other connection, in every process,
 * stays valid and sees either the old content or the restored one at its next transaction
 * (their prepared statements are re-prepared on the schema change). The copy is staged first in
 * WAL mode beside the live file, so the pages written carry the live file's journal mode; the
 * page sizes must match (SQLite refuses a WAL destination of another page size).
 */
export async function restoreIntoLiveFile(verifiedCopy: string, livePath: string, busyTimeoutMs: number): Promise<void> {
  const staging = `${livePath}.restore-${process.pid}`;
  const cleanup = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${staging}${suffix}`, { force: true });
  };
  cleanup();
  copyFileSync(verifiedCopy, staging);
  try {
    const source = new Database(staging, { fileMustExist: true, timeout: busyTimeoutMs });
    try {
      source.pragma("journal_mode = WAL");
      const live = new Database(livePath, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
      const livePageSize = live.pragma("page_size", { simple: true }) as number;
      live.close();
      const copyPageSize = source.pragma("page_size", { simple: true }) as number;
      if (livePageSize !== copyPageSize) {
        throw new Error(`The backup's page size (${copyPageSize}) differs from the live file's (${livePageSize}); it cannot be restored in place.`);
      }
      // All pages in the first step: one write transaction on the live file.
      await source.backup(livePath, { progress: () => 0x7fffffff });
    } finally {
      source.close();
    }
  } finally {
    cleanup();
  }
}
