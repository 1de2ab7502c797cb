import { existsSync } from "node:fs";
import { registrationOrder } from "../engine/dialect.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { openSqlite, type SqliteConnection } from "../connection.ts";
import { readSchemaVersion, type ApplyResult } from "./apply-migrations.ts";
import type { TenantFileMigration } from "./migrate-tenant-file.ts";
import { DEFAULT_FILE_WORKERS, runOnTenantFiles } from "../file-workers/pool.ts";
import { migrationReport } from "./migration-report.ts";
import type { TenantPlacement } from "../schema/shared/tenants.ts";
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
  /**
   * Tenants migrated at once. SQLite: worker threads, 1 migrates in this thread (default
   * DEFAULT_MIGRATION_CONCURRENCY); PostgreSQL: schemas in flight, each on a connection of its own
   * (default DEFAULT_PG_MIGRATION_CONCURRENCY, src/pg/migrate-tenant-schemas.ts).
   */
  concurrency?: number;
  /** Only these tenants (default: every registered tenant, whatever its status). */
  tenantIds?: string[];
  onProgress?: (progress: MigrationProgress) => void;
  /** Aborted: no further tenant is started; those in flight finish and are reported. */
  signal?: AbortSignal;
  /**
   * SQLite: worker threads at the lowest CPU priority, for a run beside a server's requests (see
   * FileRunOptions). PostgreSQL has no worker threads: the work is the server's.
   */
  lowPriority?: boolean;
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

/** Worker threads migrating in parallel by default (see DEFAULT_FILE_WORKERS). */
export const DEFAULT_MIGRATION_CONCURRENCY = DEFAULT_FILE_WORKERS;

interface Target {
  tenantId: string;
  slug: string;
  placement: TenantPlacement;
}

/**
 * Migrates the shared schema and every tenant: SQLite files in parallel on worker threads, or
 * PostgreSQL tenant schemas several at once. Each tenant is all-or-nothing (one transaction; on
 * SQLite foreign keys checked before commit); failures are recorded and the run goes on; a rerun
 * skips up-to-date tenants, so it resumes where it failed.
 */
export class HybridMigrationManager {
  constructor(private readonly manager: HybridDatabaseManager = HybridDatabaseManager.getInstance()) {}

  /** The seed's entry point: shared first, then every tenant. */
  async runMigrations(options: TenantMigrationOptions = {}): Promise<{ shared: ApplyResult; tenants: TenantMigrationReport }> {
    const shared = await this.runSharedMigrations();
    return { shared, tenants: await this.runTenantMigrations(options) };
  }

  runSharedMigrations(): Promise<ApplyResult> {
    return this.manager.runSharedMigrations();
  }

  /**
   * Migrates every tenant (or `tenantIds`): SQLite files on worker threads, PostgreSQL schemas each
   * in one transaction (src/pg/migrate-tenant-schemas.ts). Either way the control plane records
   * each tenant's new version, and the report is built by migrationReport.
   */
  async runTenantMigrations(options: TenantMigrationOptions = {}): Promise<TenantMigrationReport> {
    const started = performance.now();
    const targets = await this.targets(options.tenantIds);
    // The control plane's copy of each tenant's schema version (tenant_usage.schema_version), written
    // in batches: the dashboard reads versions from there and never opens a tenant to show them.
    const versions: { tenantId: string; version: number }[] = [];
    // This runner's manager, which need not be the process-wide one (the CLI and benches make their own).
    // Each flush is a session: they follow each other, and the run waits for the last one.
    let flushed: Promise<void> = Promise.resolve();
    const flushVersions = () => {
      const batch = versions.splice(0);
      flushed = flushed.then(() => recordSchemaVersions(batch, this.manager.sharedStore()));
    };
    const record = (result: TenantMigrationResult) => {
      if (result.status !== "failed") versions.push({ tenantId: result.tenantId, version: result.toVersion });
      if (versions.length >= 200) flushVersions();
    };
    try {
      const schemas = this.manager.postgres;
      if (schemas) {
        return await schemas.migrateTenantSchemas(targets, {
          concurrency: options.concurrency,
          signal: options.signal,
          onProgress: (progress) => {
            record(progress.result);
            options.onProgress?.(progress);
          },
        });
      }
      const files = targets.filter((target) => target.placement === "local");
      const placed = targets.filter((target) => target.placement === "postgres");
      // Tenants moved to TENANT_POSTGRES_URL: their schemas first, then the files, one report and one count.
      let done = 0;
      let failed = 0;
      const progress = (result: TenantMigrationResult) => {
        done += 1;
        if (result.status === "failed") failed += 1;
        options.onProgress?.({ done, total: targets.length, failed, result });
      };
      const schemaResults =
        placed.length === 0
          ? []
          : (
              await this.manager.placementEngine().migrateTenantSchemas(placed, {
                concurrency: options.concurrency,
                signal: options.signal,
                onProgress: ({ result }) => {
                  record(result);
                  progress(result);
                },
              })
            ).results;
      const fileResults = await this.migrateTenantFiles(files, { ...options, onProgress: ({ result }) => progress(result) }, record);
      return migrationReport(targets.length, [...schemaResults, ...fileResults], started, this.manager.tenantMigrations().length);
    } finally {
      flushVersions();
      await flushed;
    }
  }

  private async migrateTenantFiles(
    targets: readonly Target[],
    options: TenantMigrationOptions,
    record: (result: TenantMigrationResult) => void,
  ): Promise<TenantMigrationResult[]> {
    const results: TenantMigrationResult[] = [];
    let failed = 0;
    const { synchronous, busyTimeoutMs } = this.manager.options;
    const operation = { kind: "migrate" as const, migrations: this.manager.tenantMigrations(), synchronous, busyTimeoutMs };
    const onResult = (index: number, migration: TenantFileMigration) => {
      const target = targets[index];
      if (!target) return;
      const result: TenantMigrationResult = { tenantId: target.tenantId, slug: target.slug, ...migration };
      results.push(result);
      if (result.status === "failed") failed += 1;
      record(result);
      // A handle opened before the migration may have cached the old schema's statements.
      if (result.status === "applied") this.manager.closeTenantDatabase(result.tenantId);
      // May throw: runOnTenantFiles finishes every tenant, then rethrows the first error.
      options.onProgress?.({ done: results.length, total: targets.length, failed, result });
    };
    await runOnTenantFiles(
      operation,
      targets.map((target) => this.manager.tenantDatabasePath(target.tenantId)),
      { concurrency: options.concurrency ?? DEFAULT_MIGRATION_CONCURRENCY, signal: options.signal, lowPriority: options.lowPriority, onResult },
    );
    return results;
  }

  /**
   * Schema version of every tenant file (or of `tenantIds`) against the latest migration, read
   * from the files themselves (repair, doctor). The dashboard reads the control plane's copy
   * instead (`schemaStatusPage`), which opens no file.
   */
  async status(tenantIds?: string[]): Promise<TenantSchemaStatus[]> {
    const targets = await this.targets(tenantIds);
    const schemas = this.manager.postgres;
    if (schemas) return schemas.tenantSchemaStatus(targets);
    const placed = targets.filter((target) => target.placement === "postgres");
    const placedStatus = placed.length === 0 ? [] : await this.manager.placementEngine().tenantSchemaStatus(placed);
    return [...placedStatus, ...this.fileStatus(targets.filter((target) => target.placement === "local"))];
  }

  private fileStatus(targets: readonly Target[]): TenantSchemaStatus[] {
    const migrations = this.manager.tenantMigrations();
    const latest = migrations.length;
    return targets.map(({ tenantId, slug }): TenantSchemaStatus => {
      const path = this.manager.tenantDatabasePath(tenantId);
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
  recordedStatus(options: SchemaStatusOptions = {}): Promise<SchemaStatusPage> {
    return schemaStatusPage(options, this.manager.sharedStore(), this.manager.tenantMigrations().length);
  }

  /**
   * In registration order (rowid), which is the order the files were created in, so neighbours on
   * disk are visited together: sorted by id (random UUIDs), the same 2,000 files took ~15 % more
   * CPU to migrate (bench/storage).
   */
  private async targets(only: string[] | undefined): Promise<Target[]> {
    const rows = await this.manager.sharedStore().session("read", async (s) =>
      s.db
        .select({ id: s.t.tenants.id, slug: s.t.tenants.slug, placement: s.t.tenants.placement })
        .from(s.t.tenants)
        .orderBy(...registrationOrder(s)),
    );
    const wanted = only ? new Set(only) : undefined;
    return rows.filter((row) => !wanted || wanted.has(row.id)).map((row) => ({ tenantId: row.id, slug: row.slug, placement: row.placement }));
  }
}
