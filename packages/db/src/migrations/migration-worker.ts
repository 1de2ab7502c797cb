import { parentPort, workerData } from "node:worker_threads";
import { migrateTenantFile, type MigrateFileOptions } from "./migrate-tenant-file.ts";
import type { MigrationFile } from "./migration-files.ts";

/** Worker-thread side of HybridMigrationManager: migrates the files the main thread hands it. */
export interface MigrationWorkerData extends MigrateFileOptions {
  migrations: MigrationFile[];
}
export interface MigrationJob {
  tenantId: string;
  path: string;
}

const data = workerData as MigrationWorkerData;
const port = parentPort;
if (!port) throw new Error("migration-worker.ts must run in a worker thread.");
port.on("message", (job: MigrationJob) => {
  port.postMessage({ tenantId: job.tenantId, ...migrateTenantFile(job.path, data.migrations, data) });
});
