import type pg from "pg";
import type { MigrationFile } from "../../src/migrations/migration-files.ts";
import { openSystemPool, type SystemPool } from "../../src/pg/pool.ts";
import { pgTenantMigrations } from "../../src/pg/schema-migrations.ts";
import { appendMigration } from "../support/appended-migration.ts";
import { PASSWORD, type PgFixture } from "./fixture.ts";

/** The committed tenant migrations followed by one more, `tag`, made of `statements`. */
export function withMigration(tag: string, statements: string[]): MigrationFile[] {
  return appendMigration(pgTenantMigrations(), tag, statements);
}

/** A second system pool (the fixture's has 2 connections): concurrency tests need more, or a pool of their own. */
export function systemPool(fixture: PgFixture, maxConnections: number, applicationName = "sigil-test-migrate"): SystemPool {
  return openSystemPool({ url: fixture.database.url(fixture.roles.system, PASSWORD), maxConnections, applicationName });
}

/**
 * Rows in the catalogs a provisioning writes to. Equal before and after means the database holds
 * nothing more than before: no schema, table, function, type, default privilege or dependency.
 */
export async function catalogCounts(admin: pg.Client): Promise<Record<string, number>> {
  const { rows } = await admin.query<Record<string, string>>(`SELECT
    (SELECT count(*) FROM pg_namespace) AS namespaces,
    (SELECT count(*) FROM pg_class) AS relations,
    (SELECT count(*) FROM pg_proc) AS functions,
    (SELECT count(*) FROM pg_type) AS types,
    (SELECT count(*) FROM pg_trigger) AS triggers,
    (SELECT count(*) FROM pg_default_acl) AS default_acls,
    (SELECT count(*) FROM pg_depend) AS dependencies`);
  const row = rows[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([name, count]) => [name, Number(count)]));
}

export async function schemaExists(admin: pg.Client, schema: string): Promise<boolean> {
  const { rows } = await admin.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  return rows.length > 0;
}

/** The hashes in a tenant schema's own history table, oldest first. */
export async function historyOf(admin: pg.Client, schema: string): Promise<string[]> {
  const { rows } = await admin.query<{ hash: string }>(`SELECT hash FROM "${schema}".__drizzle_migrations ORDER BY id`);
  return rows.map((row) => row.hash);
}
