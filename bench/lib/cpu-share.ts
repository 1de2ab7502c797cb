import { cpus } from "node:os";
import { treeCpuMs } from "./processes.ts";

/**
 * How busy the machine was with work that is not this run's. On a shared 2-core box, another job's
 * tests can double a latency; this number tells a reader whether to trust a run. It counts all
 * non-idle CPU time minus this run's own: this process (worker threads included), every process it
 * started (the servers and builds the suites run, counted by the kernel once they have exited) and
 * the daemons it started that are not its children (the PostgreSQL servers, counted by
 * `countAsThisRun` when they stop). Kernel writeback for the run's own files is still counted as
 * "other": treat a few percent as noise.
 */
export interface CpuSnapshot {
  wallMs: number;
  machineBusyMs: number;
  runMs: number;
}

/** CPU of processes this run started outside its own process tree (ms), reported as they stop. */
let detachedMs = 0;

/** A process this run started but does not wait for (a daemon) used this much CPU in all. */
export function countAsThisRun(cpuMs: number): void {
  detachedMs += cpuMs;
}

export function cpuSnapshot(): CpuSnapshot {
  let machineBusyMs = 0;
  for (const { times } of cpus()) machineBusyMs += times.user + times.nice + times.sys + times.irq;
  return { wallMs: performance.now(), machineBusyMs, runMs: treeCpuMs(process.pid) + detachedMs };
}

/** Percent of the machine's total CPU capacity used by other processes between two snapshots. */
export function otherProcessesCpuPercent(start: CpuSnapshot, end: CpuSnapshot): number {
  const capacityMs = (end.wallMs - start.wallMs) * cpus().length;
  if (capacityMs <= 0) return 0;
  const othersMs = end.machineBusyMs - start.machineBusyMs - (end.runMs - start.runMs);
  return Math.max(0, Math.round((othersMs / capacityMs) * 1000) / 10);
}
