import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { runFileOperation, type FileOperation, type FileOperationResult, type FileOperationKind } from "./operations.ts";

/**
 * Worker-thread side of runOnTenantFiles (pool.ts). The threads share one counter: each takes the
 * next file index from it, so no message goes from the main thread per file, and marks the file
 * as its own in `owner`, so the main thread can name the files a dead thread left unreported.
 * Results go back in batches: a message per file woke the main thread once per file, which cost
 * it ~75 µs a file and held the runner at ~0.8 of the raw loop's rate (pnpm bench storage).
 */
export interface FileWorkerData {
  operation: FileOperation;
  paths: readonly string[];
  /** Int32Array[1]: the next index to take (shared by every thread, and the main thread). */
  next: SharedArrayBuffer;
  /** Uint8Array[paths.length]: 1 + the slot of the thread that took each file (0: not taken by a worker). */
  owner: SharedArrayBuffer;
  slot: number;
  /** Run at the lowest CPU priority (see FileRunOptions.lowPriority). */
  lowPriority: boolean;
}

export interface FileWorkerResult {
  index: number;
  result: FileOperationResult<FileOperationKind>;
}

/** Batches of results, in the order this thread finished them, then `done`. */
export type FileWorkerMessage = { results: FileWorkerResult[] } | { done: true };

/** A batch goes back once it is this old or this large, and when the thread runs out of files. */
export const RESULT_BATCH_MS = 50;
export const RESULT_BATCH_SIZE = 64;

const port = parentPort;
if (!port) throw new Error("file-worker.ts must run in a worker thread.");
const data = workerData as FileWorkerData;
if (data.lowPriority) {
  // Nice 19 for this thread only (on Linux a nice value is per thread): the server running the
  // work answers its requests first. With nothing else to run, the thread still gets a core.
  try {
    setPriority(19);
  } catch {
    // Not permitted here: run at the process's priority.
  }
}
const next = new Int32Array(data.next);
const owner = new Uint8Array(data.owner);
let batch: FileWorkerResult[] = [];
let batchStarted = performance.now();
const flush = () => {
  if (batch.length > 0) port.postMessage({ results: batch } satisfies FileWorkerMessage);
  batch = [];
  batchStarted = performance.now();
};
for (;;) {
  const index = Atomics.add(next, 0, 1);
  const path = data.paths[index];
  if (path === undefined) break;
  Atomics.store(owner, index, data.slot + 1);
  batch.push({ index, result: runFileOperation(path, data.operation) });
  if (batch.length >= RESULT_BATCH_SIZE || performance.now() - batchStarted >= RESULT_BATCH_MS) flush();
}
flush();
port.postMessage({ done: true } satisfies FileWorkerMessage);
