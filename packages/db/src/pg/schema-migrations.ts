import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { MigrationFailedError, TenantDatabaseMissingError, TenantSchemaOutdatedError } from "../errors.ts";
import type { ApplyResult } from "../migrations/apply-migrations.ts";
import { loadMigrations, type MigrationFile } from "../migrations/migration-files.ts";
import { isTenantSchemaName, quoteName, SHARED_SCHEMA, tenantSchemaName } from "./names.ts";
import type { PgTransaction } from "./transactions.ts";

/**
 * One tenant schema's migrations, inside a transaction the caller holds (provisioning and the
 * migration runner: tenant-schemas.ts, migrate-tenant-schemas.ts). PostgreSQL's DDL is
 * transactional, so a schema moves from one version to the next entirely or not at all.
 */
export const PG_TENANT_MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations/pg/tenant", import.meta.url));
export const PG_SHARED_MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations/pg/shared", import.meta.url));

/** The committed shared migrations of migrations/pg/shared. */
export function pgSharedMigrations(): MigrationFile[] {
  return loadMigrations(PG_SHARED_MIGRATIONS_FOLDER);
}

/** The committed tenant migrations of migrations/pg/tenant, read the way drizzle's migrator reads them. */
export function pgTenantMigrations(): MigrationFile[] {
  return loadMigrations(PG_TENANT_MIGRATIONS_FOLDER);
}

/**
 * Drizzle's history table (same name and columns as its pg migrator), kept in each tenant schema
 * instead of drizzle's default `drizzle` schema: one shared history could not say which schema
 * applied what, and a dropped tenant schema takes its history with it.
 */
export const MIGRATION_HISTORY_TABLE = "__drizzle_migrations";

/**
 * The class of the advisory locks that serialise work on one tenant schema (provisioning,
 * migrating, dropping); the second key is hashtext(schema). Two schemas whose hashes collide only
 * wait for each other. Transaction-scoped: the lock ends with COMMIT or ROLLBACK.
 */
const SCHEMA_LOCK_CLASS = 0x51_61_7e;

export function historyTable(schema: string): string {
  return `${quoteName("schema", schema)}.${quoteName("table", MIGRATION_HISTORY_TABLE)}`;
}

/** Waits until no other transaction works on `schema`, then holds it until this transaction ends. */
export async function lockTenantSchema(tx: PgTransaction, schema: string): Promise<void> {
  assertTenantSchema(schema);
  await lockSchema(tx, schema);
}

async function lockSchema(tx: PgTransaction, schema: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(SCHEMA_LOCK_CLASS))}, hashtext(${schema}))`);
}

interface SchemaPresence {
  schema: boolean;
  history: boolean;
}

/**
 * Read from the catalog tables with this statement's snapshot, not with to_regnamespace: that
 * resolves names through the backend's catalog cache, which can miss a schema another transaction
 * committed while this one waited for the schema's lock.
 */
async function presenceOf(tx: PgTransaction, schema: string, options: { enter?: boolean } = {}): Promise<SchemaPresence> {
  // `enter`: also make the schema the transaction's search_path, in the same round trip.
  const enter = options.enter ? sql`set_config('search_path', ${schema}, true) IS NOT NULL AS entered,` : sql``;
  const result = await tx.execute(sql`SELECT ${enter}
      EXISTS (SELECT FROM pg_namespace WHERE nspname = ${schema}) AS schema,
      EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} AND c.relname = ${MIGRATION_HISTORY_TABLE}) AS history`);
  const row = result.rows[0] as SchemaPresence | undefined;
  return { schema: row?.schema === true, history: row?.history === true };
}

export async function tenantSchemaExists(tx: PgTransaction, schema: string): Promise<boolean> {
  return (await presenceOf(tx, schema)).schema;
}

/**
 * The schema version: how many of `migrations` are applied, counted as the SQLite runner counts
 * (every migration up to the latest `created_at` recorded; apply-migrations.ts). 0 for a schema
 * with no history table, null for a schema that does not exist. Any role that may read the
 * history reads it (the app role may: provisioning grants SELECT on it).
 */
export async function readTenantSchemaVersion(tx: PgTransaction, schema: string, migrations: readonly MigrationFile[]): Promise<number | null> {
  const presence = await presenceOf(tx, schema);
  if (!presence.schema) return null;
  if (!presence.history) return 0;
  return versionIn(tx, schema, migrations);
}

/**
 * Fail-closed check for a tenant transaction (docs/architecture.md: Migrations): a schema behind
 * `migrations` throws TenantSchemaOutdatedError (the caller migrates it with migrateTenantSchema
 * on the system pool, or refuses it under TENANT_MIGRATE_ON_OPEN=strict), a missing one
 * TenantDatabaseMissingError. Works in the app role's transactions: it only reads.
 */
export async function assertTenantSchemaCurrent(tx: PgTransaction, tenantId: string, migrations: readonly MigrationFile[]): Promise<void> {
  const version = await readTenantSchemaVersion(tx, tenantSchemaName(tenantId), migrations);
  if (version === null) throw new TenantDatabaseMissingError(tenantId, "PostgreSQL schema");
  if (version < migrations.length) throw new TenantSchemaOutdatedError(tenantId, version, migrations.length);
}

async function versionIn(tx: PgTransaction, schema: string, migrations: readonly MigrationFile[]): Promise<number> {
  const result = await tx.execute(sql.raw(`SELECT max(created_at)::text AS last FROM ${historyTable(schema)}`));
  return versionAfter((result.rows[0] as { last: string | null } | undefined)?.last ?? null, migrations);
}

/** The version of a history whose latest `created_at` is `last` (as text: it is a bigint); 0 when empty. */
export function versionAfter(last: string | null, migrations: readonly MigrationFile[]): number {
  if (last === null) return 0;
  return migrations.filter((migration) => migration.folderMillis <= Number(last)).length;
}

/**
 * Applies the pending `migrations` to an existing tenant schema inside the caller's transaction:
 * takes the schema's advisory lock (a concurrent migrator of the same schema waits, then finds
 * nothing left to do), sets `search_path` to the schema alone for the rest of the transaction
 * (the migrations name no schema, and their functions pin it: `SET search_path FROM CURRENT`),
 * creates the history table if needed, and records each applied migration. Throws
 * MigrationFailedError naming the migration; the caller's rollback then undoes everything.
 */
export async function applyTenantSchemaMigrations(tx: PgTransaction, schema: string, migrations: readonly MigrationFile[]): Promise<ApplyResult> {
  await lockTenantSchema(tx, schema);
  return applyLockedSchemaMigrations(tx, schema, migrations);
}

/**
 * The shared schema's migrations (migrations/pg/shared), with the same history table and lock as a
 * tenant schema's. The installer creates the schema itself, owned by the system role with the app
 * role's grants (row-security.ts applyRoles), before any migration runs: the first migration's
 * generated `CREATE SCHEMA` is therefore left out.
 */
export async function applySharedSchemaMigrations(tx: PgTransaction, migrations: readonly MigrationFile[]): Promise<ApplyResult> {
  await lockSchema(tx, SHARED_SCHEMA);
  const createSchema = `CREATE SCHEMA ${quoteName("schema", SHARED_SCHEMA)};`;
  const withoutSchema = migrations.map((migration) => ({
    ...migration,
    statements: migration.statements.filter((statement) => statement.trim() !== createSchema),
  }));
  return applyLockedSchemaMigrations(tx, SHARED_SCHEMA, withoutSchema);
}

/** The shared schema's version (0 before the first migration), as readTenantSchemaVersion counts it. */
export async function readSharedSchemaVersion(tx: PgTransaction, migrations: readonly MigrationFile[]): Promise<number> {
  const presence = await presenceOf(tx, SHARED_SCHEMA);
  return presence.history ? versionIn(tx, SHARED_SCHEMA, migrations) : 0;
}

async function applyLockedSchemaMigrations(tx: PgTransaction, schema: string, migrations: readonly MigrationFile[]): Promise<ApplyResult> {
  // Read after the lock: a migrator that held it may have committed a newer version meanwhile.
  const presence = await presenceOf(tx, schema, { enter: true });
  if (!presence.schema) throw new MigrationFailedError(`The tenant schema ${schema} does not exist.`);
  if (!presence.history) {
    await tx.execute(sql.raw(`CREATE TABLE ${historyTable(schema)} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`));
  }
  const fromVersion = presence.history ? await versionIn(tx, schema, migrations) : 0;
  const pending = migrations.slice(fromVersion);
  for (const migration of pending) await runMigration(tx, schema, migration);
  return { applied: pending.length, fromVersion, toVersion: fromVersion + pending.length };
}

/**
 * A migration's statements and its history row go to the server as one simple-protocol query (no
 * parameters, so several statements are allowed): one round trip per migration instead of one
 * per statement (about 65 for a new schema), which a server across a network would add up; on a
 * local socket the server's DDL work dominates either way (bench/pg.bench.ts). The newline before
 * each `;` ends a trailing `--` comment first.
 */
async function runMigration(tx: PgTransaction, schema: string, migration: MigrationFile): Promise<void> {
  const record = `INSERT INTO ${historyTable(schema)} (hash, created_at) VALUES ('${hexHash(migration)}', ${safeMillis(migration)})`;
  try {
    await tx.execute(sql.raw([...migration.statements, record].join("\n;\n")));
  } catch (error) {
    throw new MigrationFailedError(`Migration ${migration.tag} failed: ${driverMessage(error)}`, { cause: error });
  }
}

/** The hash and date go into SQL text, so only what loadMigrations makes is accepted. */
function hexHash(migration: MigrationFile): string {
  if (!/^[0-9a-f]{1,128}$/.test(migration.hash))
    throw new MigrationFailedError(`Migration ${migration.tag} has a malformed hash ${JSON.stringify(migration.hash)}.`);
  return migration.hash;
}

function safeMillis(migration: MigrationFile): number {
  if (!Number.isSafeInteger(migration.folderMillis))
    throw new MigrationFailedError(`Migration ${migration.tag} has a malformed date ${String(migration.folderMillis)}.`);
  return migration.folderMillis;
}

/** Drizzle wraps the driver's error in "Failed query: <the whole statement>"; the driver's says why. */
export function driverMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** The SQLSTATE of the driver's error under Drizzle's wrapper, if any. */
export function driverCode(error: unknown): string | undefined {
  let current = error;
  while (current instanceof Error) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}

function assertTenantSchema(schema: string): void {
  if (!isTenantSchemaName(schema)) throw new Error(`${JSON.stringify(schema)} is not a tenant schema name (t_ followed by 32 hex digits).`);
}
