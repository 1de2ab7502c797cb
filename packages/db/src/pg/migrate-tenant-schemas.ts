import { SigilDbError } from "../errors.ts";
import type { MigrationFile } from "../migrations/migration-files.ts";
import type { TenantMigrationOptions, TenantMigrationReport, TenantMigrationResult, TenantSchemaStatus } from "../migrations/hybrid-migration-manager.ts";
import { migrationReport } from "../migrations/migration-report.ts";
import type { TenantFileMigration } from "../migrations/migrate-tenant-file.ts";
import { tenantSchemaName } from "./names.ts";
import type { SystemPool } from "./pool.ts";
import {
  applyTenantSchemaMigrations,
  driverMessage,
  historyTable,
  MIGRATION_HISTORY_TABLE,
  pgTenantMigrations,
  readTenantSchemaVersion,
  versionAfter,
} from "./schema-migrations.ts";
import { withSystemTransaction } from "./transactions.ts";

/**
 * The PostgreSQL twin of HybridMigrationManager's tenant runner (migrations/hybrid-migration-manager.ts),
 * with its result types: each tenant schema migrated in one transaction of the system pool, several
 * at once, failures recorded and passed, a rerun applying only what is missing.
 */

/** Which tenants to migrate, in the order given (the caller reads them from the registry). */
export type TenantSchemaTarget = Pick<TenantMigrationResult, "tenantId" | "slug">;

export interface PgTenantMigrationOptions extends Pick<TenantMigrationOptions, "onProgress" | "signal"> {
  /**
   * Schemas migrated at once, each on a connection of its own: at most the pool's size is useful
   * (more wait for a connection). Default: DEFAULT_PG_MIGRATION_CONCURRENCY.
   */
  readonly concurrency?: number;
  /** Default: the committed migrations of migrations/pg/tenant. */
  readonly migrations?: readonly MigrationFile[];
}

/**
 * Schemas in flight by default. The work is the server's (DDL and a WAL flush per commit), not
 * this process's; four keep two cores busy without starving the server's other sessions
 * (pnpm bench pg compares it with the SQLite runner).
 */
export const DEFAULT_PG_MIGRATION_CONCURRENCY = 4;

/** Migrates one tenant schema in one transaction; never throws, the outcome is in the result. */
export async function migrateTenantSchema(
  pool: SystemPool,
  tenantId: string,
  migrations: readonly MigrationFile[] = pgTenantMigrations(),
): Promise<TenantFileMigration> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  try {
    const schema = tenantSchemaName(tenantId);
    const result = await withSystemTransaction(pool, (tx) => applyTenantSchemaMigrations(tx, schema, migrations));
    return { status: result.applied > 0 ? "applied" : "up_to_date", ...result, durationMs: elapsed() };
  } catch (error) {
    // Rolled back: the schema is where it was before this call.
    const version = await versionAfterFailure(pool, tenantId, migrations);
    // Sigil's own errors name the migration; anything else is the driver's, under Drizzle's wrapper.
    const message = error instanceof SigilDbError ? error.message : driverMessage(error);
    return { status: "failed", applied: 0, fromVersion: version, toVersion: version, error: message, durationMs: elapsed() };
  }
}

async function versionAfterFailure(pool: SystemPool, tenantId: string, migrations: readonly MigrationFile[]): Promise<number> {
  try {
    return (await withSystemTransaction(pool, (tx) => readTenantSchemaVersion(tx, tenantSchemaName(tenantId), migrations))) ?? 0;
  } catch {
    return 0;
  }
}

/**
 * Migrates every target's schema, `concurrency` at a time, and reports per tenant (applied N,
 * up to date, failed with the error) like HybridMigrationManager.runTenantMigrations. A failing
 * tenant is rolled back and the run goes on; a rerun skips up-to-date schemas, so it resumes.
 * `signal`: no further tenant is started once aborted; those in flight finish and are reported.
 * An `onProgress` that throws does not stop the run: every tenant finishes, then the first such
 * error is rethrown (as the SQLite runner does).
 */
export async function migrateTenantSchemas(
  pool: SystemPool,
  targets: readonly TenantSchemaTarget[],
  options: PgTenantMigrationOptions = {},
): Promise<TenantMigrationReport> {
  const started = performance.now();
  const migrations = options.migrations ?? pgTenantMigrations();
  const concurrency = options.concurrency ?? DEFAULT_PG_MIGRATION_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number ≥ 1 (got ${concurrency}).`);
  const results: TenantMigrationResult[] = [];
  let failed = 0;
  let next = 0;
  let progressError: { error: unknown } | undefined;

  const report = (target: TenantSchemaTarget, migration: TenantFileMigration) => {
    const result: TenantMigrationResult = { tenantId: target.tenantId, slug: target.slug, ...migration };
    results.push(result);
    if (result.status === "failed") failed += 1;
    try {
      options.onProgress?.({ done: results.length, total: targets.length, failed, result });
    } catch (error) {
      progressError ??= { error };
    }
  };
  const worker = async () => {
    while (!options.signal?.aborted) {
      const target = targets[next];
      if (target === undefined) return;
      next += 1;
      report(target, await migrateTenantSchema(pool, target.tenantId, migrations));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  if (progressError) throw progressError.error;

  return migrationReport(targets.length, results, started, migrations.length);
}

/** Schemas whose versions one statement reads. */
const STATUS_BATCH = 500;

/**
 * The schema version of each target against the latest migration, read from the schemas' own
 * history tables (the twin of HybridMigrationManager.status): `missing` when the schema does not
 * exist, `unreadable` with the error when its history cannot be read (one broken schema does not
 * hide the others). One statement per 500 schemas.
 */
export async function tenantSchemaStatus(
  pool: SystemPool,
  targets: readonly TenantSchemaTarget[],
  migrations: readonly MigrationFile[] = pgTenantMigrations(),
): Promise<TenantSchemaStatus[]> {
  const latest = migrations.length;
  const statuses: TenantSchemaStatus[] = [];
  for (let start = 0; start < targets.length; start += STATUS_BATCH) {
    const batch = targets.slice(start, start + STATUS_BATCH);
    const versions = await readVersions(pool, batch, migrations);
    for (const { tenantId, slug } of batch) {
      const read = versions.get(tenantId);
      if (read === undefined || read === null) statuses.push({ tenantId, slug, version: null, latest, state: "missing" });
      else if (typeof read === "object") statuses.push({ tenantId, slug, version: null, latest, state: "unreadable", error: read.error });
      else statuses.push({ tenantId, slug, version: read, latest, state: read >= latest ? "up_to_date" : "behind" });
    }
  }
  return statuses;
}

/** Per tenant: its version, null when the schema is missing, or why it could not be read. */
type VersionRead = number | null | { error: string };

async function readVersions(pool: SystemPool, batch: readonly TenantSchemaTarget[], migrations: readonly MigrationFile[]): Promise<Map<string, VersionRead>> {
  const tenantOf = new Map(batch.map((target) => [tenantSchemaName(target.tenantId), target.tenantId]));
  const versions = new Map<string, VersionRead>(batch.map((target) => [target.tenantId, null]));
  const found = await pool.query<{ schema: string; history: boolean }>(
    `SELECT n.nspname AS schema, to_regclass(format('%I.%I', n.nspname, $2::text)) IS NOT NULL AS history
       FROM pg_namespace n WHERE n.nspname = ANY($1::text[])`,
    [[...tenantOf.keys()], MIGRATION_HISTORY_TABLE],
  );
  const withHistory: { schema: string; tenantId: string }[] = [];
  for (const row of found.rows) {
    const tenantId = tenantOf.get(row.schema);
    if (tenantId === undefined) continue;
    if (row.history) withHistory.push({ schema: row.schema, tenantId });
    else versions.set(tenantId, 0);
  }
  if (withHistory.length === 0) return versions;
  // The schema names were matched against tenantSchemaName's output above: safe in SQL text.
  const lastApplied = (schema: string) => `SELECT '${schema}' AS schema, max(created_at)::text AS last FROM ${historyTable(schema)}`;
  try {
    const { rows } = await pool.query<{ schema: string; last: string | null }>(withHistory.map(({ schema }) => lastApplied(schema)).join(" UNION ALL "));
    const lastOf = new Map(rows.map((row) => [row.schema, row.last]));
    for (const { schema, tenantId } of withHistory) versions.set(tenantId, versionAfter(lastOf.get(schema) ?? null, migrations));
  } catch {
    // One unreadable history fails the whole statement: read each alone to find which.
    for (const { schema, tenantId } of withHistory) {
      try {
        const { rows } = await pool.query<{ last: string | null }>(lastApplied(schema));
        versions.set(tenantId, versionAfter(rows[0]?.last ?? null, migrations));
      } catch (error) {
        versions.set(tenantId, { error: driverMessage(error) });
      }
    }
  }
  return versions;
}
