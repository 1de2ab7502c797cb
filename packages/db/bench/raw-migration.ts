import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import type { SynchronousLevel } from "../src/settings.ts";

// The disk's limit for migrating tenant files, measured by bench/storage/migrate.ts beside the real
// runner (packages/db/src/migrations/): open a file, one statement in a transaction, close. No Sigil
// code on purpose (not even openSqlite), so the gap to the runner is the runner's own cost. It lives
// in packages/db because only this package may import better-sqlite3 (docs/architecture.md: Layers).

export interface RawPragmas {
  synchronous: SynchronousLevel;
  busyTimeoutMs: number;
}

/** The pragmas of packages/db/src/sqlite-file.ts, written out again (raw-migration.test.ts checks they agree). */
export function openRaw(path: string, pragmas: RawPragmas): Database.Database {
  const connection = new Database(path, { fileMustExist: true, timeout: pragmas.busyTimeoutMs });
  connection.pragma("journal_mode = WAL");
  connection.pragma(`synchronous = ${pragmas.synchronous}`);
  connection.pragma("foreign_keys = ON");
  connection.pragma(`busy_timeout = ${pragmas.busyTimeoutMs}`);
  return connection;
}

/** One file: open, `statement` inside BEGIN IMMEDIATE … COMMIT, close (which checkpoints the WAL, as the runner's close does). */
export function rawMigrateFile(path: string, statement: string, pragmas: RawPragmas): void {
  const connection = openRaw(path, pragmas);
  try {
    connection.exec("BEGIN IMMEDIATE");
    connection.exec(statement);
    connection.exec("COMMIT");
  } finally {
    connection.close();
  }
}

export function rawMigrateSequential(paths: readonly string[], statement: string, pragmas: RawPragmas): void {
  for (const path of paths) rawMigrateFile(path, statement, pragmas);
}

/**
 * The same loop on `workers` threads. The threads take the next file from a shared atomic counter
 * instead of asking the main thread, so no message passes per file: the ideal the runner's
 * queue-and-message design is compared with. Plain CommonJS evaluated in the worker (no TypeScript
 * loader, no bundle) so start-up costs only the driver's load.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const { paths, statement, synchronous, busyTimeoutMs, counter } = workerData;
const next = new Int32Array(counter);
try {
for (;;) {
  const index = Atomics.add(next, 0, 1);
  if (index >= paths.length) break;
  const connection = new Database(paths[index], { fileMustExist: true, timeout: busyTimeoutMs });
  try {
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = " + synchronous);
    connection.pragma("foreign_keys = ON");
    connection.pragma("busy_timeout = " + busyTimeoutMs);
    connection.exec("BEGIN IMMEDIATE");
    connection.exec(statement);
    connection.exec("COMMIT");
  } finally {
    connection.close();
  }
}
parentPort.postMessage({ done: true });
} catch (error) {
  // better-sqlite3's error class does not survive the thread boundary: send its words.
  parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
}
`;

export async function rawMigrateOnWorkers(paths: readonly string[], statement: string, pragmas: RawPragmas, workers: number): Promise<void> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const counter = new SharedArrayBuffer(4);
  const data = { driver, paths: [...paths], statement, synchronous: pragmas.synchronous, busyTimeoutMs: pragmas.busyTimeoutMs, counter };
  const runOne = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data });
      worker.once("message", (message: { done: true } | { error: string }) => {
        const outcome = "error" in message ? new Error(`raw migration worker: ${message.error}`) : undefined;
        void worker.terminate().then(() => (outcome ? reject(outcome) : resolve()), reject);
      });
      worker.once("error", reject);
    });
  await Promise.all(Array.from({ length: workers }, runOne));
  const done = new Int32Array(counter)[0] ?? 0;
  if (done < paths.length) throw new Error(`raw migration workers stopped after ${done} of ${paths.length} files`);
}
