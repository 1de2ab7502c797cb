import { closeSync, openSync, utimes, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";

/**
 * Wakes the execution worker when an execution is created, from another process on the same
 * machine, without polling: the worker creates this file in the data directory and watches it
 * (inotify on Linux); a process that created an execution updates its timestamps. Best effort:
 * the worker's poll interval still finds the work if a signal is lost (no worker running, the
 * file removed, a file system without change notifications).
 */
export const WORK_SIGNAL_FILE = "worker.wake";

export function workSignalPath(dataDir: string): string {
  return join(dataDir, WORK_SIGNAL_FILE);
}

interface SignalState {
  inFlight: boolean;
  again: boolean;
}
const signalStates = new Map<string, SignalState>();

/**
 * Tells a watching worker that there is new work. Never creates the file (no worker watches an
 * installation without it) and never throws; a burst of calls costs at most two `utimes` in flight.
 */
export function signalWork(dataDir: string): void {
  const path = workSignalPath(dataDir);
  let state = signalStates.get(path);
  if (!state) {
    state = { inFlight: false, again: false };
    signalStates.set(path, state);
  }
  if (state.inFlight) {
    state.again = true;
    return;
  }
  touch(path, state);
}

function touch(path: string, state: SignalState): void {
  state.inFlight = true;
  state.again = false;
  const now = new Date();
  utimes(path, now, now, () => {
    // ENOENT: no worker watches this data directory; anything else: the poll interval covers it.
    state.inFlight = false;
    if (state.again) touch(path, state);
  });
}

export interface WorkSignalWatch {
  close(): void;
}

/**
 * Calls `onSignal` whenever another process signals work for `dataDir`. Creates the signal file if
 * it is missing, and watches it again if it is replaced. `onError` hears why watching stopped
 * (the caller's polling goes on regardless).
 */
export function watchWorkSignal(dataDir: string, onSignal: () => void, onError: (error: unknown) => void = () => {}): WorkSignalWatch {
  const path = workSignalPath(dataDir);
  let watcher: FSWatcher | undefined;
  let closed = false;
  const start = () => {
    if (closed) return;
    try {
      closeSync(openSync(path, "a"));
      watcher = watch(path, { persistent: false }, (event) => {
        onSignal();
        // The file was removed or replaced: this watch is on the old inode.
        if (event === "rename") restart();
      });
      watcher.on("error", (error) => {
        onError(error);
        restart();
      });
    } catch (error) {
      watcher = undefined;
      onError(error);
    }
  };
  const restart = () => {
    watcher?.close();
    watcher = undefined;
    setImmediate(start);
  };
  start();
  return {
    close() {
      closed = true;
      watcher?.close();
      watcher = undefined;
    },
  };
}
