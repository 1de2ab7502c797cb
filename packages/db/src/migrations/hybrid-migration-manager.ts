import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { asc } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { tenants } from "../schema/shared/tenants.ts";
import { openSqlite, type SqliteConnection } from "../connection.ts";
import { readSchemaVersion, type ApplyResult } from "./apply-migrations.ts";
import { migrateTenantFile, type TenantFileMigration } from "./migrate-tenant-file.ts";
import { migrationWorkerScript } from "./worker-script.ts";
import type { MigrationJob, MigrationWorkerData, MigrationWorkerMessage } from "./migration-worker.ts";
import { existsSync } from "node:fs";
import { recordSchemaVersions, schemaStatusPage, type SchemaStatusOptions, type SchemaStatusPage } from "../models/tenant-usage.ts";

export interface TenantMigrationResult extends TenantFileMigration {
  tenantId: string;
  slug: string;
}

export interface MigrationProgress {
  done: number;
  total: number;
  failed: number;
  result: TenantMigrationResult;
}

export interface TenantMigrationOptions {
  /** Worker threads migrating in parallel; 1 migrates in this thread. Default: DEFAULT_MIGRATION_CONCURRENCY. */
  concurrency?: number;
  /** Only these tenants (default: every registered tenant, whatever its status). */
  tenantIds?: string[];
  onProgress?: (progress: MigrationProgress) => void;
  /** Aborted: no further tenant is started; those in flight finish and are reported. */
  signal?: AbortSignal;
}

export interface TenantMigrationReport {
  total: number;
  applied: number;
  upToDate: number;
  failed: number;
  durationMs: number;
  tenantsPerSecond: number;
  latestVersion: number;
  results: TenantMigrationResult[];
}

export interface TenantSchemaStatus {
  tenantId: string;
  slug: string;
  version: number | null;
  latest: number;
  state: "up_to_date" | "behind" | "missing" | "unreadable";
  /** Why an unreadable file could not be read. */
  error?: string;
}

/**
 * Migrating a tenant waits mostly on fsync (the checkpoint when its file closes), not on the CPU,
 * so more workers than cores pay off: on 2 cores, 4 workers reached ~1,200 tenants/s where 2
 * reached ~870 and 8 no more than 4 (pnpm bench, 10,000 tenants).
 */
export const DEFAULT_MIGRATION_CONCURRENCY = Math.max(4, availableParallelism());

/** Jobs handed to one worker ahead of its answers (see migrateOnWorkers). */
const JOBS_IN_FLIGHT_PER_WORKER = 2;

interface Target {
  tenantId: string;
  slug: string;
  path: string;
}

/**
 * Migrates shared.sqlite and every tenant file. Tenants run in parallel on worker threads; each
 * tenant is all-or-nothing (one transaction, foreign keys checked before commit); failures are
 * recorded and the run goes on; a rerun skips up-to-date tenants, so it resumes where it failed.
 */
export class HybridMigrationManager {
  constructor(private readonly manager: HybridDatabaseManager = HybridDatabaseManager.getInstance()) {}

  /** The seed's entry point: shared first, then every tenant. */
  async runMigrations(options: TenantMigrationOptions = {}): Promise<{ shared: ApplyResult; tenants: TenantMigrationReport }> {
    const shared = this.runSharedMigrations();
    return { shared, tenants: await this.runTenantMigrations(options) };
  }

  runSharedMigrations(): ApplyResult {
    return this.manager.runSharedMigrations();
  }

  async runTenantMigrations(options: TenantMigrationOptions = {}): Promise<TenantMigrationReport> {
    const started = performance.now();
    const targets = this.targets(options.tenantIds);
    const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_MIGRATION_CONCURRENCY, targets.length || 1));
    const results: TenantMigrationResult[] = [];
    let failed = 0;
    let progressError: unknown;
    // The control plane's copy of each file's schema version (tenant_usage.schema_version), written
    // in batches: the dashboard reads versions from there and never opens a file to show them.
    const versions: { tenantId: string; version: number }[] = [];
    // This runner's manager, which need not be the process-wide one (the CLI and benches make their own).
    const flushVersions = () => recordSchemaVersions(versions.splice(0), this.manager.getSharedDatabase());
    const record = (result: TenantMigrationResult) => {
      results.push(result);
      if (result.status === "failed") failed += 1;
      else versions.push({ tenantId: result.tenantId, version: result.toVersion });
      if (versions.length >= 200) flushVersions();
      // A handle opened before the migration may have cached the old schema's statements.
      if (result.status === "applied") this.manager.closeTenantDatabase(result.tenantId);
      try {
        options.onProgress?.({ done: results.length, total: targets.length, failed, result });
      } catch (error) {
        // A throwing progress callback must neither stall a worker nor stop the other tenants.
        progressError ??= error;
      }
    };
    if (concurrency === 1) {
      for (const target of targets) {
        if (options.signal?.aborted) break;
        record({ tenantId: target.tenantId, slug: target.slug, ...this.migrateInProcess(target) });
      }
    } else {
      await this.migrateOnWorkers(targets, concurrency, record, options.signal);
    }
    flushVersions();
    if (progressError !== undefined) throw progressError;
    const durationMs = performance.now() - started;
    return {
      total: targets.length,
      applied: results.filter((r) => r.status === "applied").length,
      upToDate: results.filter((r) => r.status === "up_to_date").length,
      failed,
      durationMs,
      tenantsPerSecond: durationMs > 0 ? (targets.length / durationMs) * 1000 : 0,
      latestVersion: this.manager.tenantMigrations().length,
      results,
    };
  }

  /**
   * Schema version of every tenant file (or of `tenantIds`) against the latest migration, read
   * from the files themselves (repair, doctor). The dashboard reads the control plane's copy
   * instead (`schemaStatusPage`), which opens no file.
   */
  status(tenantIds?: string[]): TenantSchemaStatus[] {
    const migrations = this.manager.tenantMigrations();
    const latest = migrations.length;
    return this.targets(tenantIds).map(({ tenantId, slug, path }): TenantSchemaStatus => {
      if (!existsSync(path)) return { tenantId, slug, version: null, latest, state: "missing" };
      let connection: SqliteConnection | undefined;
      try {
        connection = openSqlite(path, {
          fileMustExist: true,
          synchronous: this.manager.options.synchronous,
          busyTimeoutMs: this.manager.options.busyTimeoutMs,
        });
        const version = readSchemaVersion(connection, migrations);
        return { tenantId, slug, version, latest, state: version >= latest ? "up_to_date" : "behind" };
      } catch (error) {
        // One corrupt file must not hide the status of every other tenant.
        return { tenantId, slug, version: null, latest, state: "unreadable", error: error instanceof Error ? error.message : String(error) };
      } finally {
        connection?.close();
      }
    });
  }

  /**
   * The schema versions the control plane recorded (provisioning, this runner, repair), one page,
   * optionally one state, without opening any file: what the admin dashboard shows. status()
   * above reads the files themselves.
   */
  recordedStatus(options: SchemaStatusOptions = {}): SchemaStatusPage {
    return schemaStatusPage(options, this.manager.getSharedDatabase(), this.manager.tenantMigrations().length);
  }

  private targets(only: string[] | undefined): Target[] {
    const rows = this.manager
      .getSharedDatabase()
      .select({ id: tenants.id, slug: tenants.slug })
      .from(tenants)
      .orderBy(asc(tenants.createdAt), asc(tenants.id))
      .all();
    const wanted = only ? new Set(only) : undefined;
    return rows
      .filter((row) => !wanted || wanted.has(row.id))
      .map((row) => ({ tenantId: row.id, slug: row.slug, path: this.manager.tenantDatabasePath(row.id) }));
  }

  private migrateInProcess(target: Target): TenantFileMigration {
    const { synchronous, busyTimeoutMs } = this.manager.options;
    return migrateTenantFile(target.path, this.manager.tenantMigrations(), { synchronous, busyTimeoutMs });
  }

  private async migrateOnWorkers(targets: Target[], concurrency: number, record: (r: TenantMigrationResult) => void, signal?: AbortSignal): Promise<void> {
    const queue = [...targets];
    // Stopping empties the queue: workers finish the tenant they hold and take no other.
    signal?.addEventListener("abort", () => queue.splice(0), { once: true });
    if (signal?.aborted) queue.splice(0);
    const data: MigrationWorkerData = {
      migrations: this.manager.tenantMigrations(),
      synchronous: this.manager.options.synchronous,
      busyTimeoutMs: this.manager.options.busyTimeoutMs,
    };
    const workerScript = await migrationWorkerScript();
    let starting = concurrency;
    const migrateHere = (target: Target) => record({ tenantId: target.tenantId, slug: target.slug, ...this.migrateInProcess(target) });
    // This thread works while the workers start, one tenant per turn of the event loop so the
    // workers' messages still get through.
    const helpWhileWorkersStart = () => {
      if (starting === 0) return;
      const target = queue.shift();
      if (!target) return;
      migrateHere(target);
      setImmediate(helpWhileWorkersStart);
    };
    const runWorker = () =>
      new Promise<void>((resolve) => {
        const worker = new Worker(workerScript, { workerData: data });
        // Jobs sent and not yet answered, oldest first: the worker handles messages in order, so
        // the first is the one it is migrating. Keeping the next one queued in the worker means it
        // never idles waiting for this thread to answer (pnpm bench: ~0.7 of the raw loop's rate
        // with one job at a time on a busy 2-core machine).
        const inFlight: Target[] = [];
        let ready = false;
        let finished = false;
        const fill = () => {
          while (inFlight.length < JOBS_IN_FLIGHT_PER_WORKER) {
            const target = queue.shift();
            if (!target) break;
            inFlight.push(target);
            worker.postMessage({ tenantId: target.tenantId, path: target.path } satisfies MigrationJob);
          }
          if (inFlight.length === 0 && !finished) {
            finished = true;
            void worker.terminate().then(() => resolve());
          }
        };
        worker.on("message", (message: MigrationWorkerMessage) => {
          if ("ready" in message) {
            ready = true;
            starting -= 1;
          } else {
            // Matched by id rather than by order, so an answer can never be booked to the job behind it.
            const index = inFlight.findIndex((target) => target.tenantId === message.tenantId);
            const [current] = index >= 0 ? inFlight.splice(index, 1) : [];
            if (current) record({ ...message, tenantId: current.tenantId, slug: current.slug });
          }
          fill();
        });
        worker.on("error", (error) => {
          if (!ready) starting -= 1;
          finished = true;
          // A crashed worker fails only the tenant it was migrating; the jobs queued behind it go
          // back to the queue for the other workers (or this thread, if every worker crashed).
          const [current, ...notStarted] = inFlight.splice(0);
          queue.unshift(...notStarted);
          if (current) {
            record({
              tenantId: current.tenantId,
              slug: current.slug,
              status: "failed",
              applied: 0,
              fromVersion: 0,
              toVersion: 0,
              error: `Worker crashed: ${error.message}`,
              durationMs: 0,
            });
          }
          resolve();
        });
      });
    setImmediate(helpWhileWorkersStart);
    await Promise.all(Array.from({ length: concurrency }, runWorker));
    // If every worker crashed, whatever is left is migrated here rather than skipped.
    for (const target of queue.splice(0)) migrateHere(target);
  }
}
