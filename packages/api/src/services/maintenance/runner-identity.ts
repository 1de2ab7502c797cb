import { randomUUID } from "node:crypto";
import type { RunnerIdentity } from "@sigil/db";

/**
 * This process's runner and the runs it is executing. Kept on globalThis: the web app may load
 * this module more than once in one process (one copy per server bundle), and every copy must
 * agree on which runs are alive here, or one copy would fail another's run as interrupted.
 */
interface ProcessRunner {
  identity: RunnerIdentity;
  /** Run id → abort of the run (a cancel asked in this process stops it at once). */
  live: Map<string, AbortController>;
}

const KEY = Symbol.for("sigil.maintenance.runner");

export function processRunner(): ProcessRunner {
  const holder = globalThis as typeof globalThis & { [KEY]?: ProcessRunner };
  holder[KEY] ??= { identity: { pid: process.pid, id: randomUUID() }, live: new Map() };
  return holder[KEY];
}

/** Whether a process with this id exists on this machine (SQLite files are local, so runners are too). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
