/**
 * `pnpm --filter @sigil/api worker`: the execution worker process.
 *
 * Recovers executions a previous worker left `running` (this process is assumed to be the only
 * worker of its data directory), then polls for pending executions and prints one line per
 * processed execution. SIGINT / SIGTERM stop it cleanly: nothing new is claimed and the
 * executions in flight are recorded before it exits; a second signal exits at once (whatever was
 * in flight is recovered by the next start).
 *
 * With `--with-api` (`pnpm start`, until the web app serves the API) the same process also serves
 * the tRPC API over HTTP on HOST:PORT (default 127.0.0.1:3000).
 *
 * Environment: DATA_DIR (default: the web app's ./data, like the db scripts) and the storage
 * settings of @sigil/db; WORKER_POLL_INTERVAL_MS, WORKER_CONCURRENCY, WORKER_MAX_ATTEMPTS,
 * WORKER_STALE_AFTER_MS, WORKER_EXECUTION_TIMEOUT_MS, PROVIDER_TIMEOUT_MS (all optional).
 */
import "./default-data-dir.ts";
import { HybridDatabaseManager } from "@sigil/db";
import { startApiServer } from "../src/http/node-server.ts";
import { ExecutionWorker, type ExecutionWorkerOptions, type WorkerEvent } from "../src/worker/index.ts";

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^\d+$/.test(raw.trim())) {
    console.error(`${name}=${JSON.stringify(raw)} is not valid: expected a whole number.`);
    process.exit(2);
  }
  return Number(raw);
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

const options: ExecutionWorkerOptions = { onEvent: log };
const settings: [keyof ExecutionWorkerOptions, string][] = [
  ["pollIntervalMs", "WORKER_POLL_INTERVAL_MS"],
  ["concurrency", "WORKER_CONCURRENCY"],
  ["maxAttempts", "WORKER_MAX_ATTEMPTS"],
  ["staleAfterMs", "WORKER_STALE_AFTER_MS"],
  ["executionTimeoutMs", "WORKER_EXECUTION_TIMEOUT_MS"],
  ["providerTimeoutMs", "PROVIDER_TIMEOUT_MS"],
];
for (const [key, name] of settings) {
  const value = envInt(name);
  if (value !== undefined) Object.assign(options, { [key]: value });
}

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
console.log(`Startup recovery: ${recovery.retried} execution(s) back to pending, ${recovery.failed} failed (attempts used up).`);
for (const error of recovery.errors) console.error(error.message);

const api = process.argv.includes("--with-api")
  ? await startApiServer(envInt("PORT") ?? 3000, process.env.HOST ?? "127.0.0.1")
  : undefined;
if (api) console.log(`API: ${api.url}/api/trpc (tenants on <slug>.localhost:${new URL(api.url).port}, admin on admin.localhost)`);

let stopping = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (stopping) {
    console.error(`${signal} again: exiting now; executions in flight are recovered by the next start.`);
    process.exit(130);
  }
  stopping = true;
  console.log(`${signal}: stopping after the executions in flight…`);
  Promise.all([worker.stop(), api?.close()])
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
console.log(
  `Polling every ${worker.pollIntervalMs} ms (concurrency ${worker.concurrency}, max attempts ${worker.maxAttempts}, ` +
    `stale after ${worker.staleAfterMs} ms). Ctrl-C to stop.`,
);
