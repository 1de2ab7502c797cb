import { existsSync } from "node:fs";
import { registrationOrder } from "../engine/dialect.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { openSqlite, type SqliteConnection } from "../connection.ts";
import { readSchemaVersion, type ApplyResult } from "./apply-migrations.ts";
import type { TenantFileMigration } from "./migrate-tenant-file.ts";
import { DEFAULT_FILE_WORKERS, runOnTenantFiles } from "../file-workers/pool.ts";
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
  /** Worker threads at the lowest CPU priority: for a run beside a server's requests (see FileRunOptions). */
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
    const shared = await this.runSharedMigrations();
    return { shared, tenants: await this.runTenantMigrations(options) };
  }

  runSharedMigrations(): Promise<ApplyResult> {
    return this.manager.runSharedMigrations();
  }

  async runTenantMigrations(options: TenantMigrationOptions = {}): Promise<TenantMigrationReport> {
    const started = performance.now();
    const targets = await this.targets(options.tenantIds);
    const results: TenantMigrationResult[] = [];
    let failed = 0;
    // The control plane's copy of each file's schema version (tenant_usage.schema_version), written
    // in batches: the dashboard reads versions from there and never opens a file to show them.
    const versions: { tenantId: string; version: number }[] = [];
    // This runner's manager, which need not be the process-wide one (the CLI and benches make their own).
    // Each flush is a session: they follow each other, and the run waits for the last one.
    let flushed: Promise<void> = Promise.resolve();
    const flushVersions = () => {
      const batch = versions.splice(0);
      flushed = flushed.then(() => recordSchemaVersions(batch, this.manager.sharedStore()));
    };
    const { synchronous, busyTimeoutMs } = this.manager.options;
    const operation = { kind: "migrate" as const, migrations: this.manager.tenantMigrations(), synchronous, busyTimeoutMs };
    const onResult = (index: number, migration: TenantFileMigration) => {
      const target = targets[index];
      if (!target) return;
      const result: TenantMigrationResult = { tenantId: target.tenantId, slug: target.slug, ...migration };
      results.push(result);
      if (result.status === "failed") failed += 1;
      else versions.push({ tenantId: result.tenantId, version: result.toVersion });
      if (versions.length >= 200) flushVersions();
      // A handle opened before the migration may have cached the old schema's statements.
      if (result.status === "applied") this.manager.closeTenantDatabase(result.tenantId);
      // May throw: runOnTenantFiles finishes every tenant, then rethrows the first error.
      options.onProgress?.({ done: results.length, total: targets.length, failed, result });
    };
    try {
      const paths = targets.map((target) => target.path);
      await runOnTenantFiles(operation, paths, {
        concurrency: options.concurrency ?? DEFAULT_MIGRATION_CONCURRENCY,
        signal: options.signal,
        lowPriority: options.lowPriority,
        onResult,
      });
    } finally {
      flushVersions();
      await flushed;
    }
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
  async status(tenantIds?: string[]): Promise<TenantSchemaStatus[]> {
    const migrations = this.manager.tenantMigrations();
    const latest = migrations.length;
    return (await this.targets(tenantIds)).map(({ tenantId, slug, path }): TenantSchemaStatus => {
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
        .select({ id: s.t.tenants.id, slug: s.t.tenants.slug })
        .from(s.t.tenants)
        .orderBy(...registrationOrder(s)),
    );
    const wanted = only ? new Set(only) : undefined;
    return rows
      .filter((row) => !wanted || wanted.has(row.id))
      .map((row) => ({ tenantId: row.id, slug: row.slug, path: this.manager.tenantDatabasePath(row.id) }));
  }
}
