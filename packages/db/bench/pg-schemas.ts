import type pg from "pg";
import type { TenantMigrationReport } from "../src/migrations/hybrid-migration-manager.ts";
import { migrateTenantSchemas, tenantSchemaStatus, type PgTenantMigrationOptions, type TenantSchemaTarget } from "../src/pg/migrate-tenant-schemas.ts";
import { quoteName, tenantSchemaName } from "../src/pg/names.ts";
import { openSystemPool, type SystemPool } from "../src/pg/pool.ts";
import { applyRoles, DEFAULT_ROLES } from "../src/pg/row-security.ts";
import { historyTable, pgTenantMigrations } from "../src/pg/schema-migrations.ts";
import { provisionTenantSchema } from "../src/pg/tenant-schemas.ts";
import { appendMigration } from "../test/support/appended-migration.ts";
import { withClient } from "../test/support/pg-client.ts";
import type { PostgresServer } from "../test/support/postgres-server.ts";

/** The one pending migration the benchmark times on every schema: a catalog-only ALTER, as the SQLite side's. */
const BENCH_MIGRATION_TAG = "9999_bench_alter";
const BENCH_MIGRATION_SQL = 'ALTER TABLE "prompts" ADD COLUMN "bench_note" text';
/** Schemas reset by one statement batch (untimed). */
const RESET_BATCH = 200;

/**
 * MEASURING AID for bench/pg.bench.ts: a private, durable PostgreSQL 15 (the tests' server helper,
 * fsync on), a database with Sigil's roles, and the system role's pool. Provisioning and migrating
 * go through the real code (src/pg/tenant-schemas.ts, migrate-tenant-schemas.ts).
 */
export interface PgSchemaBench {
  /** The server settings that matter for a comparison, for the table's notes. */
  readonly description: string;
  provision(tenantId: string): Promise<void>;
  /** Migrates the schemas to the committed migrations plus the bench's ALTER. */
  migrate(targets: readonly TenantSchemaTarget[], concurrency: number, onProgress?: PgTenantMigrationOptions["onProgress"]): Promise<TenantMigrationReport>;
  /** How many of `targets` are not at the bench migration's version (0 after a good run). */
  notMigrated(targets: readonly TenantSchemaTarget[]): Promise<number>;
  /**
   * Undoes the bench's ALTER in every schema, so the next run has it pending again, then runs a
   * CHECKPOINT: the dirty pages of the set-up (thousands of new relation files after provisioning)
   * are written before the timed run, not during it, as `sync` does for the SQLite files.
   */
  reset(tenantIds: readonly string[]): Promise<void>;
  /** What the bench database takes now: compare before and after provisioning to see what one schema adds. */
  footprint(): Promise<PgFootprint>;
  close(): Promise<void>;
}

export interface PgFootprint {
  /** `pg_database_size` of the bench database. */
  databaseBytes: number;
  /** Rows of `pg_class`: tables, TOAST tables, indexes, sequences, views. */
  relations: number;
  /** Total size of the system catalogs (`pg_catalog`'s tables with their indexes and TOAST). */
  catalogBytes: number;
}

const FOOTPRINT_SQL = `SELECT pg_database_size(current_database()) AS database_bytes,
  (SELECT count(*) FROM pg_class) AS relations,
  (SELECT sum(pg_total_relation_size(oid)) FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r') AS catalog_bytes`;

const BENCH_DATABASE = "sigil_bench";

/** Sets up the bench on `server` (started durable: fsync on, as SQLite's files); stops it on close. */
export async function startPgSchemaBench(server: PostgresServer, maxConnections: number): Promise<PgSchemaBench> {
  let pool: SystemPool | undefined;
  try {
    const url = (role: string, database: string) => `postgres://${role}@127.0.0.1:${server.port}/${database}`;
    await withClient(url("postgres", "postgres"), (client) => client.query(`CREATE DATABASE ${BENCH_DATABASE} TEMPLATE template0`));
    await withClient(url("postgres", BENCH_DATABASE), (client) => applyRoles(client, DEFAULT_ROLES));
    const system = openSystemPool({ url: url(DEFAULT_ROLES.system, BENCH_DATABASE), maxConnections, applicationName: "sigil-bench" });
    pool = system;
    const asSuperuser = <T>(fn: (client: pg.Client) => Promise<T>) => withClient(url("postgres", BENCH_DATABASE), fn);
    return benchOn(server, system, asSuperuser);
  } catch (error) {
    await pool?.end();
    server.stop();
    throw error;
  }
}

function benchOn(server: PostgresServer, pool: SystemPool, asSuperuser: <T>(fn: (client: pg.Client) => Promise<T>) => Promise<T>): PgSchemaBench {
  const migrations = appendMigration(pgTenantMigrations(), BENCH_MIGRATION_TAG, [BENCH_MIGRATION_SQL]);
  const benchHash = migrations.at(-1)?.hash ?? "";
  return {
    description: "PostgreSQL 15, fsync=on, synchronous_commit=on, one transaction per schema",
    provision: (tenantId) => provisionTenantSchema(pool, DEFAULT_ROLES, tenantId, async () => undefined),
    migrate: (targets, concurrency, onProgress) => migrateTenantSchemas(pool, targets, { concurrency, migrations, onProgress }),
    async notMigrated(targets) {
      const statuses = await tenantSchemaStatus(pool, targets, migrations);
      return statuses.filter((status) => status.state !== "up_to_date").length;
    },
    async reset(tenantIds) {
      for (let start = 0; start < tenantIds.length; start += RESET_BATCH) {
        const statements = tenantIds.slice(start, start + RESET_BATCH).flatMap((tenantId) => {
          const schema = tenantSchemaName(tenantId);
          return [
            `ALTER TABLE ${quoteName("schema", schema)}.prompts DROP COLUMN IF EXISTS bench_note`,
            `DELETE FROM ${historyTable(schema)} WHERE hash = '${benchHash}'`,
          ];
        });
        await pool.query(statements.join(";\n"));
      }
      await asSuperuser((client) => client.query("CHECKPOINT"));
    },
    footprint: () =>
      asSuperuser(async (client) => {
        // bigint and numeric come back as strings.
        const { rows } = await client.query<{ database_bytes: string; relations: string; catalog_bytes: string }>(FOOTPRINT_SQL);
        const [row] = rows;
        if (!row) throw new Error("the footprint query returned no row");
        return { databaseBytes: Number(row.database_bytes), relations: Number(row.relations), catalogBytes: Number(row.catalog_bytes) };
      }),
    async close() {
      try {
        await pool.end();
      } finally {
        server.stop();
      }
    },
  };
}
