import { DEFAULT_MIGRATION_CONCURRENCY, HybridDatabaseManager, HybridMigrationManager, type TenantMigrationReport } from "@sigil/db";
import { flushDisk } from "../lib/flush-disk.ts";
import { formatValue } from "../lib/format.ts";
import { progress } from "../lib/progress.ts";
import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";
import { resetTenantFiles } from "./tenant-files.ts";

export interface MigrationBenchSetup {
  dataDir: string;
  /** The fixture folder: the real tenant migrations plus one ALTER. */
  migrationsFolder: string;
  /** A tenant file at the old version (before the ALTER). */
  templateFile: string;
}

interface MigrationSample {
  seconds: number;
  /** Until the first tenant is done: in parallel mode, mostly worker thread start-up. */
  firstResultSeconds: number;
  problem: string | undefined;
}

const SPOT_CHECKS = 5;

/** What went wrong, if anything, in words for the table's notes. */
function problemOf(report: TenantMigrationReport, expected: number): string | undefined {
  if (report.applied === expected && report.failed === 0) return undefined;
  const firstError = report.results.find((result) => result.status === "failed")?.error ?? "none";
  return `only ${report.applied}/${expected} applied, ${report.failed} failed, ${report.upToDate} already up to date; first error: ${firstError}`;
}

/**
 * Proves the migration really happened, independently of the report: a manager in strict mode
 * refuses to open a tenant that is behind (TenantSchemaOutdatedError).
 */
function spotCheck(setup: MigrationBenchSetup, ids: readonly string[]): void {
  const strict = new HybridDatabaseManager({ dataDir: setup.dataDir, tenantMigrationsFolder: setup.migrationsFolder, migrateOnOpen: "strict" });
  try {
    for (let check = 0; check < SPOT_CHECKS; check += 1) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      if (id !== undefined) strict.acquireTenantDatabase(id).release();
    }
  } finally {
    strict.close();
  }
}

function modeName(concurrency: number): string {
  return concurrency === 1 ? "sequential" : `parallel, ${concurrency} workers`;
}

/**
 * Resets `ids` to the old version, then times HybridMigrationManager moving them one ALTER
 * forward. Resetting first means every run does the same work whatever ran before it.
 */
async function migrateOnce(setup: MigrationBenchSetup, ids: readonly string[], concurrency: number, label: string): Promise<MigrationSample> {
  const manager = new HybridDatabaseManager({ dataDir: setup.dataDir, tenantMigrationsFolder: setup.migrationsFolder });
  try {
    resetTenantFiles(manager, setup.templateFile, ids);
    flushDisk();
    const migrating = progress(label, ids.length);
    const started = performance.now();
    let firstResultAt = started;
    const report = await new HybridMigrationManager(manager).runTenantMigrations({
      concurrency,
      tenantIds: [...ids],
      onProgress: ({ done }) => {
        if (done === 1) firstResultAt = performance.now();
        if (done % 100 === 0) migrating.tick(done);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    migrating.finish();
    const problem = problemOf(report, ids.length);
    if (problem === undefined) spotCheck(setup, ids);
    return { seconds, firstResultSeconds: (firstResultAt - started) / 1000, problem };
  } finally {
    manager.close();
  }
}

function rowsFor(count: number, concurrency: number, samples: readonly MigrationSample[]): BenchRow[] {
  const seconds = median(samples.map((sample) => sample.seconds));
  const perRun = samples.map((sample) => formatValue(count / sample.seconds)).join(", ");
  const problems = samples.map((sample) => sample.problem).filter((problem) => problem !== undefined);
  const note = `median of ${samples.length} runs (${perRun} tenants/s)${problems.length > 0 ? `; PROBLEMS: ${problems.join(" | ")}` : ""}`;
  const label = `migrate ${count.toLocaleString("en-US")} tenants, 1 ALTER, ${modeName(concurrency)}`;
  if (concurrency === 1) {
    // The sequential run is the baseline the parallel runner is compared with; the target is the runner's.
    return [
      { benchmark: `${label}: throughput`, value: count / seconds, unit: "tenants/s", note },
      { benchmark: `${label}: total time`, value: seconds, unit: "s" },
    ];
  }
  return [
    { benchmark: `${label}: throughput`, value: count / seconds, unit: "tenants/s", target: { comparison: ">=", value: 1000 }, note },
    { benchmark: `${label}: total time`, value: seconds, unit: "s" },
    { benchmark: `${label}: first tenant done (worker start-up)`, value: median(samples.map((sample) => sample.firstResultSeconds)), unit: "s" },
  ];
}

/**
 * Each size is migrated `repeats` times per mode, alternating parallel and sequential so a slow
 * spell of the (shared, virtual) disk hurts both modes alike; the median run is reported.
 */
export async function measureMigrations(setup: MigrationBenchSetup, ids: readonly string[], sizes: readonly number[], repeats: number): Promise<BenchRow[]> {
  const modes = [...new Set([availableWorkers(), 1])];
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const tenantIds = ids.slice(0, size);
    const samples = new Map<number, MigrationSample[]>(modes.map((concurrency) => [concurrency, []]));
    for (let repeat = 1; repeat <= repeats; repeat += 1) {
      for (const concurrency of modes) {
        const label = `migrating ${size.toLocaleString("en-US")} tenants (${modeName(concurrency)}, run ${repeat}/${repeats})`;
        samples.get(concurrency)?.push(await migrateOnce(setup, tenantIds, concurrency, label));
      }
    }
    for (const concurrency of modes) rows.push(...rowsFor(size, concurrency, samples.get(concurrency) ?? []));
  }
  return rows;
}

/** The runner's own default, but at least 2 so the worker path is what runs. */
function availableWorkers(): number {
  return Math.max(2, DEFAULT_MIGRATION_CONCURRENCY);
}
