/**
 * `pnpm bench pg`: tenant schemas on PostgreSQL beside tenant files on SQLite, in the same run
 * (issue 13). It starts its own durable PostgreSQL 15 (the tests' server helper, fsync on) and a
 * temporary DATA_DIR, both removed at the end, even when a step throws:
 * 1. provisioning: one SQLite file and one PostgreSQL schema at a time, alternating (pg/provision.ts);
 * 2. the same N tenants on both engines: files cloned from one created tenant, schemas provisioned;
 * 3. one pending ALTER migrated over all N, by HybridMigrationManager and by migrateTenantSchemas,
 *    back to back, 3 times (pg/migrate.ts).
 * Between 1 and 3, what the N schemas added to the database: relations and bytes per schema
 * (pg/footprint.ts; docs/scaling.md, Limits).
 *
 * N: `--tenants N`, else BENCH_PG_SCHEMAS, else 1,000; `pnpm bench pg --tenants 50` is the short
 * form (~30 s). Without PostgreSQL 15's binaries the suite says so and measures nothing.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, tenantModel } from "@sigil/db";
import { cloneTenant, DEFAULT_PG_MIGRATION_CONCURRENCY, startPgSchemaBench, type PgSchemaBench } from "@sigil/db/bench";
import { startBenchPostgres } from "./lib/postgres.ts";
import { flushDisk } from "./lib/flush-disk.ts";
import { progress, step } from "./lib/progress.ts";
import type { BenchOptions, BenchRow } from "./lib/types.ts";
import { schemaFootprintRows } from "./pg/footprint.ts";
import { measureEngineMigrations } from "./pg/migrate.ts";
import { measureSchemaProvisioning } from "./pg/provision.ts";
import { createMigrationsFixture } from "./storage/migrations-fixture.ts";
import { tenantInput } from "./storage/provision.ts";

const PROVISION_SAMPLES = 100;
const MIGRATION_REPEATS = 3;
const MIN_TENANTS = 10;

function schemaCount(options: BenchOptions): number {
  const raw = process.env.BENCH_PG_SCHEMAS;
  const count = options.tenants ?? (raw === undefined || raw === "" ? 1000 : Number(raw));
  if (!Number.isInteger(count) || count < MIN_TENANTS) throw new Error(`--tenants or BENCH_PG_SCHEMAS must be a whole number ≥ ${MIN_TENANTS} (got ${count})`);
  return count;
}

/** Untimed set-up: the PostgreSQL side of the N tenants, as many at once as the migration runner uses. */
async function provisionSchemas(pg: PgSchemaBench, ids: readonly string[]): Promise<void> {
  const ticker = progress(`provisioning ${ids.length.toLocaleString("en-US")} PostgreSQL schemas`, ids.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < ids.length; index = next++) {
      const id = ids[index];
      if (id !== undefined) await pg.provision(id);
      if (index % 50 === 0) ticker.tick(index);
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_PG_MIGRATION_CONCURRENCY }, worker));
  ticker.finish();
}

async function startPostgres(): Promise<PgSchemaBench | undefined> {
  // Durable (fsync on): SQLite's files are synced too.
  const server = await startBenchPostgres("pg", { durable: true });
  // One connection more than the runner uses: the status reads and resets never wait for one.
  return server ? startPgSchemaBench(server, DEFAULT_PG_MIGRATION_CONCURRENCY + 1) : undefined;
}

export async function pgBenchmarks(options: BenchOptions): Promise<BenchRow[]> {
  const count = schemaCount(options);
  const pg = await startPostgres();
  if (!pg) return [];
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-pg-"));
  const dataDir = join(root, "data");
  let manager: HybridDatabaseManager | undefined;
  flushDisk();
  try {
    // tenantModel works through the process-wide manager, so this one is the singleton.
    manager = HybridDatabaseManager.configure({ dataDir });
    await manager.runSharedMigrations();
    step(`SQLite files in ${root} (synchronous=${manager.options.synchronous}); ${pg.description}`);
    const rows = await measureSchemaProvisioning(manager, pg, Math.min(PROVISION_SAMPLES, count));

    const template = await tenantModel.createTenant(tenantInput("pg-bench-template"));
    const ids = cloneTenant(manager, template.id, count, { slugPrefix: "pg-bench" });
    const templateFile = join(root, "template.sqlite");
    copyFileSync(manager.tenantDatabasePath(template.id), templateFile);
    const migrationsFolder = createMigrationsFixture(manager.options.tenantMigrationsFolder, join(root, "tenant-migrations"));
    manager.close();
    const before = await pg.footprint();
    await provisionSchemas(pg, ids);
    rows.push(...schemaFootprintRows(before, await pg.footprint(), ids.length));

    rows.push(...(await measureEngineMigrations({ dataDir, migrationsFolder, templateFile, pg }, ids, MIGRATION_REPEATS)));
    return rows;
  } finally {
    // Not getInstance(): after close() it would create a manager on ./data.
    manager?.close();
    await pg.close();
    step(`removing ${root}`);
    rmSync(root, { recursive: true, force: true });
    flushDisk();
  }
}
