import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FileWorkerData, FileWorkerMessage } from "./file-worker.ts";
import { crashedResult, runFileOperation, type FileOperation, type FileOperationKind, type FileOperationResult } from "./operations.ts";
import { fileWorkerScript } from "./worker-script.ts";

/**
 * Work on a tenant file waits mostly on the disk (a migration's checkpoint fsyncs when its file
 * closes; a quick_check reads every page), not on the CPU, so more threads than cores pay off:
 * on 2 cores, 4 workers migrated ~1,200 tenants/s where 2 reached ~870 and 8 no more than 4
 * (pnpm bench storage, 10,000 tenants).
 */
export const DEFAULT_FILE_WORKERS = Math.max(4, availableParallelism());

/** Each file records its worker's slot in a byte (file-worker.ts), and more would not help anyway. */
export const MAX_FILE_WORKERS = 64;

export interface FileRunOptions<K extends FileOperationKind> {
  /** Worker threads; 1 runs every file in this thread, one per turn of the event loop. Default DEFAULT_FILE_WORKERS. */
  concurrency?: number;
  /** Called on this thread once per file, in the order files finish; may throw (see runOnTenantFiles). */
  onResult: (index: number, result: FileOperationResult<K>) => void;
  /** Aborted: no further file is started; those in flight finish and are reported. */
  signal?: AbortSignal;
  /**
   * Worker threads at the lowest CPU priority, for work a server runs beside its requests (the
   * dashboard's maintenance runs). Not for a deploy's `db:migrate`, which has the machine to itself:
   * at nice 19 the threads also yield to the kernel's own writeback threads, which the fsyncs of a
   * migration keep busy.
   */
  lowPriority?: boolean;
}

/**
 * Runs `operation` on every file of `paths` on worker threads, each file on a connection of its
 * own. The threads take files from a shared counter and send results back in batches
 * (file-worker.ts), so this thread only books them and a server running this keeps answering
 * requests; it also works on files itself while the workers start (a few ms each), one file per
 * turn of the event loop. A worker that dies fails only the files it had taken and not reported;
 * the others take the rest, and if every worker died this thread does. Exceptions thrown by
 * `onResult` are collected and the first is rethrown once every file is done, so a faulty
 * callback never stalls the run.
 */
export async function runOnTenantFiles<K extends FileOperationKind>(
  operation: FileOperation<K>,
  paths: readonly string[],
  options: FileRunOptions<K>,
): Promise<void> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const stop = () => Atomics.store(next, 0, paths.length);
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();
  const reported = new Uint8Array(paths.length);
  let callbackError: Error | undefined;
  const report = (index: number, result: FileOperationResult<K>) => {
    if (reported[index] === 1) return;
    reported[index] = 1;
    try {
      options.onResult(index, result);
    } catch (error) {
      callbackError ??= error instanceof Error ? error : new Error("A result callback threw something other than an Error.", { cause: error });
    }
  };
  const runHere = (): boolean => {
    const index = Atomics.add(next, 0, 1);
    const path = paths[index];
    if (path === undefined) return false;
    report(index, runFileOperation(path, operation));
    return true;
  };
  try {
    const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_FILE_WORKERS, paths.length, MAX_FILE_WORKERS));
    if (concurrency === 1 || paths.length === 0) {
      // One file per turn: a long run in a server never holds the event loop for more than a file.
      while (runHere()) await new Promise<void>((resolve) => setImmediate(resolve));
    } else {
      await runOnWorkers(operation, paths, { concurrency, lowPriority: options.lowPriority ?? false }, next, report, runHere);
      // If every worker crashed, whatever is left is done here rather than skipped.
      while (runHere());
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
  if (callbackError !== undefined) throw callbackError;
}

async function runOnWorkers<K extends FileOperationKind>(
  operation: FileOperation<K>,
  paths: readonly string[],
  { concurrency, lowPriority }: { concurrency: number; lowPriority: boolean },
  next: Int32Array,
  report: (index: number, result: FileOperationResult<K>) => void,
  runHere: () => boolean,
): Promise<void> {
  const script = await fileWorkerScript();
  const owner = new Uint8Array(new SharedArrayBuffer(paths.length));
  let starting = concurrency;
  // This thread works while the workers start, one file per turn of the event loop so their
  // messages still get through.
  const helpWhileWorkersStart = () => {
    if (starting > 0 && runHere()) setImmediate(helpWhileWorkersStart);
  };
  const runWorker = (slot: number): { done: Promise<void>; online: Promise<void> } => {
    let markOnline = () => {};
    const online = new Promise<void>((resolve) => (markOnline = resolve));
    const done = new Promise<void>((resolve) => {
      const data: FileWorkerData = {
        operation: operation as FileOperation,
        paths,
        next: next.buffer as SharedArrayBuffer,
        owner: owner.buffer,
        slot,
        lowPriority,
      };
      // execArgv: [] because the bundle is plain JS: inherited loader flags (tsx under the CLI,
      // the tests and the benches) cost each worker ~100 ms of start-up, and this thread a hooks
      // round trip per module the worker resolves.
      const worker = new Worker(script, { workerData: data, execArgv: [] });
      let failure = "the thread stopped";
      let started = false;
      worker.once("online", () => {
        started = true;
        starting -= 1;
        markOnline();
      });
      worker.on("message", (message: FileWorkerMessage) => {
        if ("done" in message) void worker.terminate();
        else for (const { index, result } of message.results) report(index, result);
      });
      worker.on("error", (error) => {
        failure = error.message;
      });
      worker.once("exit", () => {
        if (!started) starting -= 1;
        markOnline();
        // Died (an uncaught error, a native crash): the files it took and did not report fail,
        // the other workers go on with the rest.
        for (let index = 0; index < paths.length; index += 1) {
          if (owner[index] === slot + 1) report(index, crashedResult(operation.kind, failure));
        }
        resolve();
      });
    });
    return { done, online };
  };
  setImmediate(helpWhileWorkersStart);
  // One worker per turn of the event loop: creating one (and copying the paths to it) takes this
  // thread a few ms, which requests should not wait for four times in a row. At low priority,
  // each also waits until the one before is running: a thread boots at normal priority (~30 ms
  // of CPU) before it lowers its own, and four booting at once starved a server's requests on 2
  // cores (maintenance-load.integration.test.ts).
  const running: Promise<void>[] = [];
  for (let slot = 0; slot < concurrency; slot += 1) {
    const { done, online } = runWorker(slot);
    running.push(done);
    await (lowPriority ? online : new Promise<void>((resolve) => setImmediate(resolve)));
  }
  await Promise.all(running);
}
