/**
 * `pnpm --filter @sigil/db pg:apply-check`: a manual check, not part of `pnpm test`
 * (it needs PostgreSQL 15 on the machine). Starts a private server, applies migrations/pg/shared,
 * applies migrations/pg/tenant inside two schemas `t_a` and `t_b` through `SET LOCAL search_path`,
 * then runs the same writes on SQLite files (the committed SQLite migrations) and on PostgreSQL and
 * compares the trigger-kept counters after every step: tenant_stats (bytes of files and dataset
 * items, counts, revision, last activity) and cache_generation. Exits 1 on any difference.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import fc from "fast-check";
import * as pgTenantSchema from "../src/schema/pg/tenant/index.ts";
import { applyMigrations } from "../src/migrations/apply-migrations.ts";
import { loadMigrations, SHARED_MIGRATIONS_FOLDER, TENANT_MIGRATIONS_FOLDER } from "../src/migrations/migration-files.ts";
import { openSqlite, type SqliteConnection } from "../src/sqlite-file.ts";
import { startPostgresServer } from "../test/support/postgres-server.ts";
import { psqlOn, type Psql } from "./pg-check/psql.ts";
import { CACHE_GENERATION_SQL, sharedSteps, tenantSteps, TENANT_STATS_SQL, type Step } from "./pg-check/scenarios.ts";
import { text } from "./pg-check/sql-literals.ts";

/** The tables a tenant schema must hold: every table of the pg-core tenant schema. */
const TENANT_TABLES = Object.values(pgTenantSchema).filter((value) => is(value, PgTable)).length;

const root = resolve(import.meta.dirname, "..");
let failures = 0;
function expectEqual(what: string, actual: string, expected: string): void {
  if (actual === expected) {
    console.log(`  ✓ ${what}: ${actual}`);
  } else {
    failures += 1;
    console.error(`  ✗ ${what}: PostgreSQL ${actual}, expected ${expected}`);
  }
}

function migrationSql(folder: string): string {
  return loadMigrations(folder)
    .flatMap((migration) => migration.statements)
    .join("\n");
}

/** In a schema's transaction, as the runtime will run it: search_path set for this transaction only. */
const inSchema = (schema: string, sql: string) => `SET LOCAL search_path TO ${schema};\n${sql}`;

function compareSteps(title: string, steps: Step[], sqlite: SqliteConnection, pg: { psql: Psql }, schema: string, read: { sqlite: string; pg: string }): void {
  console.log(title);
  for (const step of steps) {
    sqlite.exec(step.sql("sqlite"));
    const expected = String((sqlite.prepare(read.sqlite).get() as { v: unknown }).v);
    const actual =
      pg
        .psql(inSchema(schema, `${step.sql("pg")}\n${read.pg}`))
        .split("\n")
        .at(-1) ?? "";
    expectEqual(step.name, actual, expected);
  }
}

function openMigrated(dir: string, name: string, folder: string): SqliteConnection {
  const connection = openSqlite(join(dir, name), { fileMustExist: false, synchronous: "NORMAL", busyTimeoutMs: 1000 });
  applyMigrations(connection, loadMigrations(folder));
  return connection;
}

/** sigil_json_bytes must equal the UTF-8 length of JSON.stringify, the text SQLite stores. */
function checkJsonBytes(pg: { psql: Psql }): void {
  console.log("sigil_json_bytes against JSON.stringify (200 generated values)");
  const scalar = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 100),
    // PostgreSQL text and jsonb cannot hold U+0000 (see docs/architecture.md).
    fc.string({ unit: "grapheme" }).filter((s) => !s.includes("\u0000")),
  );
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.array(tie("value")),
      fc.dictionary(
        fc.string({ unit: "grapheme" }).filter((s) => !s.includes("\u0000")),
        tie("value"),
      ),
    ),
  }));
  const samples = fc.sample(value, { numRuns: 200, seed: 13 });
  const rows = samples.map((sample, i) => `(${i}, ${text(JSON.stringify(sample))}::jsonb)`).join(",\n");
  const output = pg.psql(inSchema("t_a", `SELECT i || ':' || sigil_json_bytes(v) FROM (VALUES ${rows}) AS s(i, v) ORDER BY i;`));
  const measured = new Map(output.split("\n").map((line) => line.split(":") as [string, string]));
  const wrong = samples.filter((sample, i) => measured.get(String(i)) !== String(Buffer.byteLength(JSON.stringify(sample))));
  expectEqual("values whose byte count differs", String(wrong.length), "0");
  for (const sample of wrong.slice(0, 3)) console.error(`    e.g. ${JSON.stringify(sample).slice(0, 160)}…`);
}

// The same private server the test suites start (test/support/postgres-server.ts), on a free port.
const server = await startPostgresServer();
const pg = { psql: psqlOn(server) };
const port = server.port;
const sqliteDir = mkdtempSync(join(tmpdir(), "sigil-sqlite-check-"));
try {
  console.log(`PostgreSQL on 127.0.0.1:${port}; migrations from ${root}/migrations/pg`);
  pg.psql(migrationSql(join(root, "migrations/pg/shared")));
  for (const schema of ["t_a", "t_b"]) pg.psql(`CREATE SCHEMA ${schema};\n${inSchema(schema, migrationSql(join(root, "migrations/pg/tenant")))}`);
  expectEqual(
    "tables, indexes, sequences and functions outside sigil_shared, t_a and t_b",
    pg.psql(
      "SELECT count(*) FROM (SELECT relnamespace AS ns FROM pg_class WHERE relkind IN ('r', 'S', 'i') UNION ALL SELECT pronamespace FROM pg_proc) o JOIN pg_namespace n ON n.oid = o.ns WHERE n.nspname NOT IN ('sigil_shared', 't_a', 't_b', 'pg_catalog', 'information_schema', 'pg_toast');",
    ),
    "0",
  );
  expectEqual(
    "functions in each tenant schema",
    pg.psql(
      "SELECT string_agg(n.nspname || ':' || count, ',' ORDER BY n.nspname) FROM (SELECT pronamespace, count(*) FROM pg_proc GROUP BY 1) p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('t_a', 't_b');",
    ),
    "t_a:7,t_b:7",
  );
  expectEqual(
    "tables in t_a and t_b",
    pg.psql(
      "SELECT string_agg(schemaname || ':' || count, ',' ORDER BY schemaname) FROM (SELECT schemaname, count(*) FROM pg_tables WHERE schemaname IN ('t_a', 't_b') GROUP BY 1) c;",
    ),
    `t_a:${TENANT_TABLES},t_b:${TENANT_TABLES}`,
  );

  const tenant = openMigrated(sqliteDir, "tenant.sqlite", TENANT_MIGRATIONS_FOLDER);
  compareSteps("tenant_stats after each write (t_a vs a SQLite tenant file)", tenantSteps, tenant, pg, "t_a", TENANT_STATS_SQL);
  tenant.close();

  console.log("Schemas stay apart");
  expectEqual("t_b untouched by t_a's writes", pg.psql(inSchema("t_b", TENANT_STATS_SQL.pg)), "1|0|0|0|-");
  const before = pg.psql(inSchema("t_a", TENANT_STATS_SQL.pg));
  pg.psql(inSchema("t_a", `INSERT INTO t_b.files (id, name, mime_type, size, sha256, content) VALUES ('f', 'f', 'text/plain', 77, 'h', '\\x00'::bytea);`));
  expectEqual("a write to t_b under t_a's search_path counts in t_b", pg.psql(inSchema("t_b", TENANT_STATS_SQL.pg)), "2|77|1|0|-");
  expectEqual("… and not in t_a", pg.psql(inSchema("t_a", TENANT_STATS_SQL.pg)), before);

  checkJsonBytes(pg);

  const shared = openMigrated(sqliteDir, "shared.sqlite", SHARED_MIGRATIONS_FOLDER);
  compareSteps("cache_generation after each write (sigil_shared vs shared.sqlite)", sharedSteps, shared, pg, "sigil_shared", {
    sqlite: CACHE_GENERATION_SQL,
    pg: CACHE_GENERATION_SQL,
  });
  shared.close();
} finally {
  server.stop();
  rmSync(sqliteDir, { recursive: true, force: true });
}
console.log(failures === 0 ? "All checks passed." : `${failures} check(s) failed.`);
process.exit(failures === 0 ? 0 : 1);
