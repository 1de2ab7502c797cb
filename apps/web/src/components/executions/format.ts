import type { EXECUTION_STATUSES } from "@sigil/validators";

export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Pending and running executions change by themselves: pages poll them. */
export function isActive(status: ExecutionStatus | null | undefined): boolean {
  return status === "pending" || status === "running";
}

/** "850 ms", "2.4 s", "1 min 5 s", "2 h 3 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** How long an execution ran (started → completed), or null while it has not finished. */
export function executionDuration(execution: { startedAt: Date | null; completedAt: Date | null }): number | null {
  if (!execution.startedAt || !execution.completedAt) return null;
  return execution.completedAt.getTime() - execution.startedAt.getTime();
}

/** "12 %" of a limit, for the stats; 0 when the limit is 0. */
export function percentOf(used: number, limit: number): number {
  return limit > 0 ? Math.round((used / limit) * 100) : 0;
}
