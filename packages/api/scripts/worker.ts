/**
 * `pnpm --filter @sigil/api worker`: the execution worker process.
 *
 * Recovers executions whose lease expired (their worker died), then takes pending executions of
 * the tenants the pending-work index lists, waking when one is created (and polling as a
 * fallback), and prints one line per processed execution. Several worker processes may share a
 * data directory: claims carry the worker's id and a lease. SIGINT / SIGTERM stop it cleanly:
 * nothing new is claimed and the executions in flight are recorded before it exits; a second
 * signal exits at once (whatever was in flight is retried by any worker once its lease expired).
 *
 * With `--with-api` (`pnpm start`, until the web app serves the API) the same process also serves
 * the tRPC API over HTTP on HOST:PORT (default 127.0.0.1:3000).
 *
 * Environment: DATA_DIR (default: the web app's ./data, like the db scripts) and the storage
 * settings of @sigil/db; WORKER_POLL_INTERVAL_MS, WORKER_CONCURRENCY, WORKER_MAX_ATTEMPTS,
 * WORKER_LEASE_MS, WORKER_RECOVERY_INTERVAL_MS, WORKER_EXECUTION_TIMEOUT_MS, PROVIDER_TIMEOUT_MS (all optional, read by
 * src/server-settings.ts; an invalid one exits 2 naming it). USAGE_REFRESH_INTERVAL_SECONDS: how often
 * this process measures the tenant files' sizes into the control plane (src/worker/usage-refresh.ts).
 * BACKUP_DIR, BACKUP_INTERVAL, BACKUP_RETENTION: scheduled backups (src/worker/backup-schedule.ts), off without BACKUP_DIR.
 */
import "./default-data-dir.ts";
import { HybridDatabaseManager, InvalidSettingError } from "@sigil/db";
import { readServerSettings, type ServerSettings, type WorkerSettings } from "../src/server-settings.ts";
import { startApiServer } from "../src/http/node-server.ts";
import { ExecutionWorker, startBackupSchedule, startUsageRefresh, type ExecutionWorkerOptions, type WorkerEvent } from "../src/worker/index.ts";

/** Unset settings are left out, so the worker applies its own defaults. */
function definedOnly(settings: WorkerSettings): Partial<Omit<WorkerSettings, "usageRefreshIntervalSeconds">> {
  const { usageRefreshIntervalSeconds: _ownTimer, ...workerOnly } = settings;
  return Object.fromEntries(Object.entries(workerOnly).filter(([, value]) => value !== undefined));
}

function log(event: WorkerEvent): void {
  const time = new Date().toISOString();
  switch (event.type) {
    case "execution":
      console.log(
        `${time} ${event.status.padEnd(9)} ${event.tenantSlug} execution ${event.executionId} ` +
          `provider=${event.provider} attempt=${event.attempts} ${event.durationMs}ms` +
          (event.error ? ` error=${JSON.stringify(event.error)}` : "") +
          (event.detail ? ` detail=${JSON.stringify(event.detail)}` : ""),
      );
      break;
    case "recovered":
      console.log(`${time} recovered ${event.tenantSlug}: ${event.retried} back to pending, ${event.failed} failed (attempts used up)`);
      break;
    case "error":
      console.error(`${time} error     ${event.message}`);
      break;
  }
}

let settings: ServerSettings;
try {
  settings = readServerSettings(process.env);
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const options: ExecutionWorkerOptions = { ...definedOnly(settings.worker), onEvent: log };

const manager = HybridDatabaseManager.getInstance();
let worker: ExecutionWorker;
try {
  worker = new ExecutionWorker(options);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
console.log(`Execution worker: data directory ${manager.options.dataDir}`);

let recovery: Awaited<ReturnType<ExecutionWorker["recoverOnStartup"]>>;
try {
  recovery = await worker.recoverOnStartup();
} catch (error) {
  // Typically a data directory without a migrated shared.sqlite.
  console.error(
    `Cannot read the tenant registry in ${manager.options.dataDir}: ${error instanceof Error ? error.message : String(error)}\n` +
      "Check DATA_DIR, and run `pnpm db:migrate` first.",
  );
  manager.close();
  process.exit(1);
}
console.log(`Startup recovery (expired leases): ${recovery.retried} execution(s) back to pending, ${recovery.failed} failed (attempts used up).`);
for (const error of recovery.errors) console.error(error.message);

const api = process.argv.includes("--with-api")
  ? await startApiServer(settings.listen.port, settings.listen.host === "localhost" ? "127.0.0.1" : settings.listen.host)
  : undefined;
if (api) console.log(`API: ${api.url}/api/trpc (tenants on <slug>.localhost:${new URL(api.url).port}, admin on admin.localhost)`);

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) {
    console.error(`${signal} again: exiting now; executions in flight are retried once their lease expired.`);
    process.exit(130);
  }
  stopping = true;
  console.log(`${signal}: stopping after the executions in flight…`);
  Promise.all([worker.stop(), usageRefresh.stop(), backupSchedule?.stop(), api?.close()])
    .then(() => {
      manager.close();
      console.log("Worker stopped.");
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error("Worker did not stop cleanly:", error);
      process.exit(1);
    });
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

worker.start();
const usageRefresh = startUsageRefresh({
  intervalSeconds: settings.worker.usageRefreshIntervalSeconds,
  onError: (error) => console.error(`${new Date().toISOString()} error     measuring tenant files: ${error instanceof Error ? error.message : String(error)}`),
});
const backup = settings.backup;
const backupSchedule =
  backup.dir === null
    ? undefined
    : startBackupSchedule({
        dir: backup.dir,
        intervalMs: backup.intervalMs,
        retention: backup.retention,
        onReport: ({ setPath, manifest, pruned }) =>
          console.log(
            `${new Date().toISOString()} backup    ${setPath}: ${manifest.files.length} file(s), ${manifest.failures.length} failed` +
              (pruned.length > 0 ? `, removed ${pruned.length} old set(s)` : ""),
          ),
        onError: (error) => console.error(`${new Date().toISOString()} error     scheduled backup: ${error instanceof Error ? error.message : String(error)}`),
      });
console.log(
  backup.dir === null
    ? "Scheduled backups: off (BACKUP_DIR is not set)."
    : `Scheduled backups: every ${backup.intervalMs / 60_000} min into ${backup.dir}, keeping ${backup.retention} set(s).`,
);
console.log(
  `Worker ${worker.id}: woken by new executions, polling every ${worker.pollIntervalMs} ms (concurrency ${worker.concurrency}, ` +
    `max attempts ${worker.maxAttempts}, lease ${worker.leaseMs} ms, recovery every ${worker.recoveryIntervalMs} ms). Database sizes measured every ${settings.worker.usageRefreshIntervalSeconds} s. Ctrl-C to stop.`,
);
