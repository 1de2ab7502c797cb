import { existsSync } from "node:fs";
import { openSqlite } from "../sqlite-file.ts";
import type { SynchronousLevel } from "../settings.ts";
import { applyMigrations } from "./apply-migrations.ts";
import type { MigrationFile } from "./migration-files.ts";

export type TenantMigrationStatus = "applied" | "up_to_date" | "failed";

export interface TenantFileMigration {
  status: TenantMigrationStatus;
  applied: number;
  fromVersion: number;
  toVersion: number;
  error?: string;
  durationMs: number;
}

export interface MigrateFileOptions {
  synchronous: SynchronousLevel;
  busyTimeoutMs: number;
}

/** Migrates one existing tenant file; never throws, the outcome is in the result. */
export function migrateTenantFile(path: string, migrations: readonly MigrationFile[], options: MigrateFileOptions): TenantFileMigration {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
  let connection;
  try {
    connection = openSqlite(path, { fileMustExist: true, foreignKeys: false, ...options });
    const result = applyMigrations(connection, migrations, { foreignKeysOff: true });
    // Closing checkpoints the WAL (fsyncs included): part of the tenant's migration time.
    connection.close();
    connection = undefined;
    return { status: result.applied > 0 ? "applied" : "up_to_date", ...result, durationMs: elapsed() };
  } catch (error) {
    // fileMustExist makes the open fail on a missing file; only then is it worth a stat to say so.
    const message = existsSync(path) ? (error instanceof Error ? error.message : String(error)) : "The tenant's database file is missing.";
    let version = 0;
    try {
      version = connection ? (connection.prepare('SELECT count(*) AS n FROM "__drizzle_migrations"').get() as { n: number }).n : 0;
    } catch {
      version = 0;
    }
    return { status: "failed", applied: 0, fromVersion: version, toVersion: version, error: message, durationMs: elapsed() };
  } finally {
    connection?.close();
  }
}
