import { listBackupSets, readBackupSet } from "@sigil/db";
import { runBackup, type BackupReport } from "../services/backups.ts";

export interface BackupScheduleOptions {
  /** BACKUP_DIR (absolute). */
  dir: string;
  intervalMs: number;
  retention: number;
  onReport?: (report: BackupReport) => void;
  onError?: (error: unknown) => void;
}

export interface BackupSchedule {
  /** Resolves when the backup in progress, if any, has finished. */
  stop(): Promise<void>;
}

/** When the newest set in `dir` was taken (epoch ms), or null when there is none. */
function lastSetAt(dir: string): number | null {
  const last = listBackupSets(dir).at(-1);
  if (!last) return null;
  try {
    return Date.parse(readBackupSet(last).manifest.createdAt);
  } catch {
    return null;
  }
}

/**
 * Scheduled backups in the worker process (only started when BACKUP_DIR is set, so an
 * installation without it keeps no timer at all): the whole installation every `intervalMs`,
 * counted from the newest set already in `dir` (a restart does not take an extra one), then the
 * retention. Runs never overlap; a failed run is reported and the schedule goes on. One timer
 * between runs, unref'd: the worker's own loop keeps the process alive.
 */
export function startBackupSchedule(options: BackupScheduleOptions): BackupSchedule {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    timer = undefined;
    running = runBackup({ outDir: options.dir, tenants: "all", retention: options.retention })
      .then((report) => options.onReport?.(report))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) schedule(options.intervalMs);
      });
  };
  const schedule = (delayMs: number) => {
    timer = setTimeout(run, Math.max(0, delayMs));
    timer.unref();
  };
  const last = lastSetAt(options.dir);
  schedule(last === null ? 0 : last + options.intervalMs - Date.now());
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
