import { cpus } from "node:os";

/**
 * How busy the machine was with work that is not ours. On a shared 2-core box, another job's
 * tests can double a latency; this number tells a reader whether to trust a run. It counts all
 * non-idle CPU time minus this process's (worker threads included), so kernel writeback for our
 * own files is counted as "other" too: treat a few percent as noise.
 */
export interface CpuSnapshot {
  wallMs: number;
  machineBusyMs: number;
  processMs: number;
}

export function cpuSnapshot(): CpuSnapshot {
  let machineBusyMs = 0;
  for (const { times } of cpus()) machineBusyMs += times.user + times.nice + times.sys + times.irq;
  const usage = process.cpuUsage();
  return { wallMs: performance.now(), machineBusyMs, processMs: (usage.user + usage.system) / 1000 };
}

/** Percent of the machine's total CPU capacity used by other processes between two snapshots. */
export function otherProcessesCpuPercent(start: CpuSnapshot, end: CpuSnapshot): number {
  const capacityMs = (end.wallMs - start.wallMs) * cpus().length;
  if (capacityMs <= 0) return 0;
  const othersMs = end.machineBusyMs - start.machineBusyMs - (end.processMs - start.processMs);
  return Math.max(0, Math.round((othersMs / capacityMs) * 1000) / 10);
}
