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
 *
 * The same process sends webhook deliveries (src/worker/webhook-deliverer.ts), woken by the same
 * signal file and by the index's next due time; one log line per attempt.
 */
import "./default-data-dir.ts";
import { fileFeatureUnavailable, HybridDatabaseManager, InvalidSettingError } from "@sigil/db";
import { readServerSettings, type ServerSettings, type WorkerSettings } from "../src/server-settings.ts";
import { startApiServer } from "../src/http/node-server.ts";
import { logger, startObservability } from "../src/observability/index.ts";
import {
  createWorkerMetrics,
  ExecutionWorker,
  startBackupSchedule,
  startStatusSocket,
  startUsageRefresh,
  workerSocketPath,
  type ExecutionWorkerOptions,
  type StatusSocket,
  type WebhookEvent,
  type WorkerEvent,
  WebhookDeliverer,
} from "../src/worker/index.ts";

/** Unset settings are left out, so the worker applies its own defaults. */
function definedOnly(settings: WorkerSettings): Partial<Omit<WorkerSettings, "usageRefreshIntervalSeconds">> {
  const { usageRefreshIntervalSeconds: _ownTimer, ...workerOnly } = settings;
  return Object.fromEntries(Object.entries(workerOnly).filter(([, value]) => value !== undefined));
}

/** One log line per event (README: Operating it, Logs); the workspace's slug as in request lines. */
function log(event: WorkerEvent): void {
  switch (event.type) {
    case "execution": {
      const { tenantSlug, executionId, provider, attempts, durationMs, error, detail, status } = event;
      const fields = { slug: tenantSlug, executionId, provider, attempt: attempts, durationMs, ...(error ? { error } : {}), ...(detail ? { detail } : {}) };
      if (status === "failed") logger().warn(fields, "execution failed");
      else logger().info(fields, "execution completed");
      break;
    }
    case "recovered":
      logger().info(
        { slug: event.tenantSlug, retried: event.retried, failed: event.failed },
        "expired leases recovered (back to pending / failed: attempts used up)",
      );
      break;
    case "error":
      logger().error({ ...(event.tenantSlug ? { slug: event.tenantSlug } : {}) }, event.message);
      break;
  }
}

/** One log line per delivery attempt; the URL and body are never logged (a URL may carry a token). */
function logWebhook(event: WebhookEvent): void {
  if (event.type === "error") {
    logger().error({ ...(event.tenantSlug ? { slug: event.tenantSlug } : {}) }, event.message);
    return;
  }
  const { tenantSlug, deliveryId, webhook, attempt, status, statusCode, durationMs, error, detail, disabled, recorded } = event;
  const fields = {
    slug: tenantSlug,
    deliveryId,
    webhook,
    event: event.event,
    attempt,
    status,
    statusCode,
    durationMs,
    ...(error ? { error } : {}),
    ...(detail ? { detail } : {}),
    ...(recorded ? {} : { recorded }),
  };
  if (disabled) logger().warn(fields, `webhook ${webhook} answered 410 Gone and was disabled`);
  else if (status === "delivered") logger().info(fields, "webhook delivered");
  else logger().warn(fields, status === "retry" ? "webhook delivery failed; retrying later" : "webhook delivery failed for good");
}

let settings: ServerSettings;
try {
  settings = readServerSettings(process.env);
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  console.error(error.message);
  process.exit(2);
}
await startObservability(settings.observability);
const metrics = createWorkerMetrics();
const options: ExecutionWorkerOptions = {
  ...definedOnly(settings.worker),
  onEvent: (event) => {
    metrics.record(event);
    log(event);
  },
};

const manager = HybridDatabaseManager.getInstance();
let worker: ExecutionWorker;
try {
  worker = new ExecutionWorker(options);
} catch (error) {
  logger().fatal(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
logger().info({ dataDir: manager.options.dataDir }, "execution worker starting");

let recovery: Awaited<ReturnType<ExecutionWorker["recoverOnStartup"]>>;
try {
  recovery = await worker.recoverOnStartup();
} catch (error) {
  // Typically a data directory without a migrated shared.sqlite.
  logger().fatal(
    `Cannot read the tenant registry in ${manager.options.dataDir}: ${error instanceof Error ? error.message : String(error)}. ` +
      "Check DATA_DIR, and run `pnpm db:migrate` first.",
  );
  manager.close();
  process.exit(1);
}
logger().info({ retried: recovery.retried, failed: recovery.failed }, "startup recovery of expired leases: retried back to pending, failed (attempts used up)");
for (const error of recovery.errors) logger().error({ ...(error.tenantSlug ? { slug: error.tenantSlug } : {}) }, error.message);

const api = process.argv.includes("--with-api")
  ? await startApiServer(settings.listen.port, settings.listen.host === "localhost" ? "127.0.0.1" : settings.listen.host)
  : undefined;
if (api) logger().info(`API: ${api.url}/api/trpc (tenants on <slug>.localhost:${new URL(api.url).port}, admin on admin.localhost)`);

const startedAt = Date.now();
const socketPath = workerSocketPath(settings.observability.workerSocket, manager.options.dataDir);
let statusSocket: StatusSocket | undefined;
try {
  statusSocket = await startStatusSocket(socketPath, {
    status: () => JSON.stringify({ ...worker.status(), pid: process.pid, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
    metrics: () => metrics.registry.metrics(),
  });
} catch (error) {
  // The worker still works; /api/ready reports it as not ready so the operator finds out.
  logger().warn({ socket: socketPath }, `No status socket: ${error instanceof Error ? error.message : String(error)}`);
}

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) {
    logger().warn(`${signal} again: exiting now; executions in flight are retried once their lease expired.`);
    process.exit(130);
  }
  stopping = true;
  logger().info(`${signal}: stopping after the executions in flight…`);
  Promise.all([worker.stop(), webhooks.stop(), usageRefresh.stop(), backupSchedule?.stop(), api?.close(), statusSocket?.close()])
    .then(() => {
      manager.close();
      logger().info("Worker stopped.");
      process.exit(0);
    })
    .catch((error: unknown) => {
      logger().error({ err: error }, "Worker did not stop cleanly");
      process.exit(1);
    });
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

worker.start();
const webhooks = new WebhookDeliverer({ onEvent: logWebhook });
webhooks.start();
const usageRefresh = startUsageRefresh({
  intervalSeconds: settings.worker.usageRefreshIntervalSeconds,
  onError: (error) => logger().error({ err: error }, "measuring tenant files failed"),
});
const backup = settings.backup;
// BACKUP_DIR on an installation whose data is not in files (PostgreSQL): no schedule, and the log says why.
const backupsUnavailable = fileFeatureUnavailable("backups", manager);
const backupSchedule =
  backup.dir === null || backupsUnavailable !== null
    ? undefined
    : startBackupSchedule({
        dir: backup.dir,
        intervalMs: backup.intervalMs,
        retention: backup.retention,
        onReport: ({ setPath, manifest, pruned }) =>
          logger().info({ set: setPath, files: manifest.files.length, failed: manifest.failures.length, pruned: pruned.length }, "scheduled backup taken"),
        onError: (error) => logger().error({ err: error }, "scheduled backup failed"),
      });
logger().info(
  backup.dir === null
    ? "Scheduled backups: off (BACKUP_DIR is not set)."
    : backupsUnavailable !== null
      ? `Scheduled backups: off (BACKUP_DIR is ignored). ${backupsUnavailable}`
      : `Scheduled backups: every ${backup.intervalMs / 60_000} min into ${backup.dir}, keeping ${backup.retention} set(s).`,
);
logger().info(
  `Worker ${worker.id}: woken by new executions, polling every ${worker.pollIntervalMs} ms (concurrency ${worker.concurrency}, ` +
    `max attempts ${worker.maxAttempts}, lease ${worker.leaseMs} ms, recovery every ${worker.recoveryIntervalMs} ms). Database sizes measured every ${settings.worker.usageRefreshIntervalSeconds} s. Ctrl-C to stop.`,
);
