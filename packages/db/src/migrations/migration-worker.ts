import { parentPort, workerData } from "node:worker_threads";
import { migrateTenantFile, type MigrateFileOptions, type TenantFileMigration } from "./migrate-tenant-file.ts";
import type { MigrationFile } from "./migration-files.ts";

/** Worker-thread side of HybridMigrationManager: migrates the files the main thread hands it. */
export interface MigrationWorkerData extends MigrateFileOptions {
  migrations: MigrationFile[];
}
export interface MigrationJob {
  tenantId: string;
  path: string;
}
/** `ready` once loaded, then one result per job. */
export type MigrationWorkerMessage = { ready: true } | (TenantFileMigration & { tenantId: string });

const data = workerData as MigrationWorkerData;
const port = parentPort;
if (!port) throw new Error("migration-worker.ts must run in a worker thread.");
port.on("message", (job: MigrationJob) => {
  port.postMessage({ tenantId: job.tenantId, ...migrateTenantFile(job.path, data.migrations, data) } satisfies MigrationWorkerMessage);
});
port.postMessage({ ready: true } satisfies MigrationWorkerMessage);
