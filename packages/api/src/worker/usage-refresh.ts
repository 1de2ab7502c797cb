import { refreshDatabaseSizes, type SizeRefreshReport } from "@sigil/db";

export interface UsageRefreshOptions {
  /** Seconds between the end of one measurement and the start of the next (USAGE_REFRESH_INTERVAL_SECONDS). */
  intervalSeconds: number;
  /** Tenants measured per chunk (between two yields to the event loop). */
  chunkSize?: number;
  onReport?: (report: SizeRefreshReport) => void;
  onError?: (error: unknown) => void;
}

export interface UsageRefresh {
  /** Resolves when the measurement in progress, if any, has stopped. */
  stop(): Promise<void>;
}

/**
 * The slow timer of the control plane (docs/architecture.md, The control-plane mirror): measures
 * every tenant file's size on disk into `tenant_usage` at start and then every `intervalSeconds`,
 * in chunks that yield, so the dashboard shows sizes without stat-ing files per request. Runs
 * never overlap (the next is scheduled when one ends); a failed run is reported and the timer
 * goes on.
 */
export function startUsageRefresh(options: UsageRefreshOptions): UsageRefresh {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    timer = undefined;
    running = refreshDatabaseSizes({ chunkSize: options.chunkSize, signal: controller.signal })
      .then((report) => options.onReport?.(report))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!controller.signal.aborted) schedule();
      });
  };
  const schedule = () => {
    timer = setTimeout(run, options.intervalSeconds * 1_000);
    // The worker's own loop keeps the process alive; this timer alone should not.
    timer.unref();
  };
  run();
  return {
    stop: async () => {
      controller.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
