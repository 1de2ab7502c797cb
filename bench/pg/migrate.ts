import { DEFAULT_MIGRATION_CONCURRENCY, HybridDatabaseManager, HybridMigrationManager, type TenantMigrationReport } from "@sigil/db";
import { DEFAULT_PG_MIGRATION_CONCURRENCY, type PgSchemaBench } from "@sigil/db/bench";
import { flushDisk } from "../lib/flush-disk.ts";
import { formatValue } from "../lib/format.ts";
import { progress } from "../lib/progress.ts";
import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";
import { resetTenantFiles } from "../storage/tenant-files.ts";

export interface EngineMigrationSetup {
  dataDir: string;
  /** The SQLite tenant migrations plus one ALTER (storage/migrations-fixture.ts). */
  migrationsFolder: string;
  /** A tenant file before that ALTER. */
  templateFile: string;
  pg: PgSchemaBench;
}

interface Sample {
  seconds: number;
  problem: string | undefined;
}

function problemOf(report: TenantMigrationReport, expected: number, notMigrated: number): string | undefined {
  if (report.applied === expected && report.failed === 0 && notMigrated === 0) return undefined;
  const firstError = report.results.find((result) => result.status === "failed")?.error ?? "none";
  return `${report.applied}/${expected} applied, ${report.failed} failed, ${notMigrated} not at the new version afterwards; first error: ${firstError}`;
}

async function timed(
  label: string,
  total: number,
  run: (onProgress: (done: number) => void) => Promise<TenantMigrationReport>,
): Promise<{ seconds: number; report: TenantMigrationReport }> {
  const ticker = progress(label, total);
  const started = performance.now();
  const report = await run((done) => {
    if (done % 100 === 0) ticker.tick(done);
  });
  const seconds = (performance.now() - started) / 1000;
  ticker.finish();
  return { seconds, report };
}

async function migrateFiles(setup: EngineMigrationSetup, ids: readonly string[], label: string): Promise<Sample> {
  const manager = new HybridDatabaseManager({ dataDir: setup.dataDir, tenantMigrationsFolder: setup.migrationsFolder });
  try {
    resetTenantFiles(manager, setup.templateFile, ids);
    flushDisk();
    const runner = new HybridMigrationManager(manager);
    const { seconds, report } = await timed(label, ids.length, (onDone) =>
      runner.runTenantMigrations({ tenantIds: [...ids], concurrency: DEFAULT_MIGRATION_CONCURRENCY, onProgress: ({ done }) => onDone(done) }),
    );
    const notMigrated = (await runner.status([...ids])).filter((status) => status.state !== "up_to_date").length;
    return { seconds, problem: problemOf(report, ids.length, notMigrated) };
  } finally {
    manager.close();
  }
}

async function migrateSchemas(setup: EngineMigrationSetup, ids: readonly string[], label: string): Promise<Sample> {
  await setup.pg.reset(ids);
  flushDisk();
  const targets = ids.map((tenantId, index) => ({ tenantId, slug: `bench-${index}` }));
  const { seconds, report } = await timed(label, ids.length, (onDone) =>
    setup.pg.migrate(targets, DEFAULT_PG_MIGRATION_CONCURRENCY, ({ done }) => onDone(done)),
  );
  return { seconds, problem: problemOf(report, ids.length, await setup.pg.notMigrated(targets)) };
}

/**
 * Migrates the same tenants (one pending ALTER each) as SQLite files and as PostgreSQL schemas,
 * `repeats` times, each engine reset to the old version before its run; which engine goes first
 * alternates, so the disk's drift hurts both sides of each ratio alike. Medians are reported.
 */
export async function measureEngineMigrations(setup: EngineMigrationSetup, ids: readonly string[], repeats: number): Promise<BenchRow[]> {
  const files: Sample[] = [];
  const schemas: Sample[] = [];
  const size = ids.length.toLocaleString("en-US");
  for (let repeat = 1; repeat <= repeats; repeat += 1) {
    const fileLabel = `migrating ${size} SQLite files (run ${repeat}/${repeats})`;
    const schemaLabel = `migrating ${size} PostgreSQL schemas (run ${repeat}/${repeats})`;
    if (repeat % 2 === 0) {
      schemas.push(await migrateSchemas(setup, ids, schemaLabel));
      files.push(await migrateFiles(setup, ids, fileLabel));
    } else {
      files.push(await migrateFiles(setup, ids, fileLabel));
      schemas.push(await migrateSchemas(setup, ids, schemaLabel));
    }
  }
  const label = `migrate ${size} tenants, 1 ALTER`;
  const rate = (sample: Sample) => ids.length / sample.seconds;
  const problems = (samples: Sample[]) => {
    const found = samples.map((sample) => sample.problem).filter((problem) => problem !== undefined);
    return found.length > 0 ? `; PROBLEMS: ${found.join(" | ")}` : "";
  };
  const ratios = files.map((file, index) => (schemas[index] ? rate(schemas[index]) / rate(file) : Number.NaN));
  return [
    {
      benchmark: `${label}: SQLite files (HybridMigrationManager, ${DEFAULT_MIGRATION_CONCURRENCY} workers) throughput`,
      value: median(files.map(rate)),
      unit: "tenants/s",
      note: `median of ${repeats} runs (${files.map((s) => formatValue(rate(s))).join(", ")} tenants/s)${problems(files)}`,
    },
    {
      benchmark: `${label}: PostgreSQL schemas (migrateTenantSchemas, ${DEFAULT_PG_MIGRATION_CONCURRENCY} connections) throughput`,
      value: median(schemas.map(rate)),
      unit: "tenants/s",
      note: `median of ${repeats} runs (${schemas.map((s) => formatValue(rate(s))).join(", ")} tenants/s); ${setup.pg.description}${problems(schemas)}`,
    },
    {
      benchmark: `${label}: PostgreSQL / SQLite throughput`,
      value: median(ratios),
      unit: "×",
      note: `median of the ${repeats} per-repeat ratios (${ratios.map(formatValue).join(", ")}), each repeat measuring both back to back`,
    },
    { benchmark: `${label}: SQLite files total time`, value: median(files.map((s) => s.seconds)), unit: "s" },
    { benchmark: `${label}: PostgreSQL schemas total time`, value: median(schemas.map((s) => s.seconds)), unit: "s" },
  ];
}
