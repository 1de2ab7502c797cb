import type { SqliteConnection } from "../sqlite-file.ts";
import { MigrationFailedError } from "../errors.ts";
import type { MigrationFile } from "./migration-files.ts";

export interface ApplyResult {
  /** Migrations applied by this call (0 when the file was up to date). */
  applied: number;
  fromVersion: number;
  toVersion: number;
}

const CREATE_JOURNAL_TABLE = `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
  id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`;

export interface ApplyOptions {
  /**
   * The connection was opened with foreign keys off and closes right after (migrate-tenant-file.ts):
   * they are neither turned off first nor back on after.
   */
  foreignKeysOff?: boolean;
}

/** The number of migrations a database has applied (its schema version). 0 for a new file. */
export function readSchemaVersion(connection: SqliteConnection, migrations: readonly MigrationFile[]): number {
  const table = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (table === undefined) return 0;
  return journalVersion(connection, migrations);
}

/** readSchemaVersion once the journal table is known to exist. */
function journalVersion(connection: SqliteConnection, migrations: readonly MigrationFile[]): number {
  const row = connection.prepare('SELECT MAX(created_at) AS last FROM "__drizzle_migrations"').get() as { last: number | null } | undefined;
  const last = row?.last ?? null;
  if (last === null) return 0;
  return migrations.filter((m) => m.folderMillis <= Number(last)).length;
}

/**
 * Applies the pending migrations in one transaction: all or nothing per database.
 *
 * Drizzle's own migrator also uses one transaction, which makes `PRAGMA foreign_keys=OFF` inside
 * a migration a no-op, so a table rebuild with ON DELETE CASCADE children deletes the children
 * (drizzle-orm#4938). Here foreign keys are turned off on the connection *before* the transaction
 * and `PRAGMA foreign_key_check` runs before commit: any reported row rolls the database back.
 * The check reads every table that has a foreign key, the largest cost of migrating a tenant
 * after the fsyncs, so it is skipped when no pending statement can leave a dangling reference.
 */
export function applyMigrations(connection: SqliteConnection, migrations: readonly MigrationFile[], options: ApplyOptions = {}): ApplyResult {
  if (!options.foreignKeysOff) connection.pragma("foreign_keys = OFF");
  try {
    connection.exec("BEGIN IMMEDIATE");
    try {
      // Inside the transaction: on its own, the no-op CREATE of an existing journal was a
      // transaction of its own per tenant.
      connection.exec(CREATE_JOURNAL_TABLE);
      // Read inside the write lock: a concurrent migrator may have finished meanwhile.
      const fromVersion = journalVersion(connection, migrations);
      const pending = migrations.slice(fromVersion);
      const record = connection.prepare('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)');
      for (const migration of pending) {
        for (const statement of migration.statements) runStatement(connection, migration.tag, statement);
        record.run(migration.hash, migration.folderMillis);
      }
      if (pending.some((migration) => migration.statements.some(mayBreakForeignKeys))) assertForeignKeysHold(connection);
      connection.exec("COMMIT");
      return { applied: pending.length, fromVersion, toVersion: fromVersion + pending.length };
    } catch (error) {
      if (connection.inTransaction) connection.exec("ROLLBACK");
      throw error;
    }
  } finally {
    if (!options.foreignKeysOff) connection.pragma("foreign_keys = ON");
  }
}

function runStatement(connection: SqliteConnection, tag: string, statement: string): void {
  try {
    connection.exec(statement);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationFailedError(`Migration ${tag} failed: ${reason}`, { cause: error });
  }
}

/**
 * Statements that cannot leave a row pointing at nothing, even with foreign keys off: they add
 * an empty table (or one made by CREATE TABLE … AS, which has no constraints), an index, a
 * trigger or a view, or drop one of the last three. Anything else (data statements, DROP TABLE,
 * renames, pragmas, a column with REFERENCES) may, and makes applyMigrations check.
 */
const CANNOT_BREAK_FOREIGN_KEYS =
  /^(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?(?:TABLE|TRIGGER|VIEW)|DROP\s+(?:TRIGGER|VIEW))\b/i;
const ADD_COLUMN = /^ALTER\s+TABLE\s+\S+\s+ADD\b/i;
const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

export function mayBreakForeignKeys(statement: string): boolean {
  const sql = statement.replace(LEADING_COMMENTS, "");
  if (ADD_COLUMN.test(sql)) return /\bREFERENCES\b/i.test(sql);
  return !CANNOT_BREAK_FOREIGN_KEYS.test(sql);
}

function assertForeignKeysHold(connection: SqliteConnection): void {
  const violations = connection.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
  if (violations.length > 0) {
    const sample = violations
      .slice(0, 3)
      .map((v) => `${v.table} row ${v.rowid} → ${v.parent}`)
      .join(", ");
    throw new MigrationFailedError(`foreign_key_check reported ${violations.length} violation(s) after migrating (${sample}); rolled back.`);
  }
}
