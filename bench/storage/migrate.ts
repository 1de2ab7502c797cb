import { DEFAULT_MIGRATION_CONCURRENCY, HybridDatabaseManager, HybridMigrationManager, type TenantMigrationReport } from "@sigil/db";
import { rawMigrateOnWorkers, rawMigrateSequential } from "@sigil/db/bench";
import { flushDisk } from "../lib/flush-disk.ts";
import { formatValue } from "../lib/format.ts";
import { progress, step } from "../lib/progress.ts";
import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";
import { BENCH_MIGRATION_SQL } from "./migrations-fixture.ts";
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

/** One repeat of one mode: the runner and the raw loop, measured back to back on the same files. */
interface PairedSample {
  runner: MigrationSample;
  rawSeconds: number;
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

/**
 * The disk's limit on the same files: reset them, then open, run the same ALTER in a transaction
 * and close each one with the same pragmas, no Sigil code (packages/db/bench/raw-migration.ts).
 * Parallel mode uses as many threads as the runner, taking files from a shared counter.
 */
async function rawLoopOnce(setup: MigrationBenchSetup, ids: readonly string[], concurrency: number, label: string): Promise<number> {
  const manager = new HybridDatabaseManager({ dataDir: setup.dataDir, tenantMigrationsFolder: setup.migrationsFolder });
  try {
    resetTenantFiles(manager, setup.templateFile, ids);
    const paths = ids.map((id) => manager.tenantDatabasePath(id));
    const pragmas = { synchronous: manager.options.synchronous, busyTimeoutMs: manager.options.busyTimeoutMs };
    flushDisk();
    step(label);
    const started = performance.now();
    if (concurrency === 1) rawMigrateSequential(paths, BENCH_MIGRATION_SQL, pragmas);
    else await rawMigrateOnWorkers(paths, BENCH_MIGRATION_SQL, pragmas, concurrency);
    return (performance.now() - started) / 1000;
  } finally {
    manager.close();
  }
}

function sizeLabel(count: number): string {
  return `migrate ${count.toLocaleString("en-US")} tenants, 1 ALTER`;
}

function rowsFor(count: number, concurrency: number, samples: readonly PairedSample[]): BenchRow[] {
  const runnerSeconds = median(samples.map((sample) => sample.runner.seconds));
  const rawSeconds = median(samples.map((sample) => sample.rawSeconds));
  // Each repeat's runner and raw loop ran back to back: their ratio cancels most of the disk's drift.
  const ratios = samples.map((sample) => sample.rawSeconds / sample.runner.seconds);
  const perRun = samples.map((sample) => formatValue(count / sample.runner.seconds)).join(", ");
  const rawPerRun = samples.map((sample) => formatValue(count / sample.rawSeconds)).join(", ");
  const problems = samples.map((sample) => sample.runner.problem).filter((problem) => problem !== undefined);
  const label = `${sizeLabel(count)}, ${modeName(concurrency)}`;
  const rows: BenchRow[] = [
    {
      benchmark: `${label}: HybridMigrationManager throughput`,
      value: count / runnerSeconds,
      unit: "tenants/s",
      ...(concurrency === 1 ? {} : { target: { comparison: ">=" as const, value: 1000 } }),
      note: `median of ${samples.length} runs (${perRun} tenants/s)${problems.length > 0 ? `; PROBLEMS: ${problems.join(" | ")}` : ""}`,
    },
    {
      benchmark: `${label}: raw loop throughput (the disk's limit)`,
      value: count / rawSeconds,
      unit: "tenants/s",
      note: `open + BEGIN IMMEDIATE + the same ALTER + COMMIT + close per file, same pragmas, no Sigil code (packages/db/bench/raw-migration.ts); median of ${samples.length} runs (${rawPerRun} tenants/s)`,
    },
    {
      benchmark: `${label}: runner / raw loop`,
      value: median(ratios),
      unit: "×",
      target: { comparison: ">=", value: 0.9 },
      note: `median of the ${samples.length} per-repeat ratios (${ratios.map(formatValue).join(", ")}), each repeat measuring both back to back`,
    },
    { benchmark: `${label}: HybridMigrationManager total time`, value: runnerSeconds, unit: "s" },
  ];
  if (concurrency !== 1) {
    rows.push({
      benchmark: `${label}: first tenant done (worker start-up)`,
      value: median(samples.map((sample) => sample.runner.firstResultSeconds)),
      unit: "s",
    });
  }
  return rows;
}

function speedUpRows(count: number, workers: number, samples: ReadonlyMap<number, PairedSample[]>): BenchRow[] {
  const parallel = samples.get(workers) ?? [];
  const sequential = samples.get(1) ?? [];
  if (parallel.length === 0 || sequential.length === 0) return [];
  const runner = median(sequential.map((s) => s.runner.seconds)) / median(parallel.map((s) => s.runner.seconds));
  const raw = median(sequential.map((s) => s.rawSeconds)) / median(parallel.map((s) => s.rawSeconds));
  return [
    {
      benchmark: `${sizeLabel(count)}: parallel speed-up of the runner (${workers} workers / sequential)`,
      value: runner,
      unit: "×",
      note: "sequential time / parallel time, medians; the work waits on fsync, so threads help beyond the core count",
    },
    { benchmark: `${sizeLabel(count)}: parallel speed-up of the raw loop (${workers} threads / sequential)`, value: raw, unit: "×" },
  ];
}

const WARM_UP_TENANTS = 100;

/**
 * Each size is migrated `repeats` times per mode. Every repeat runs the runner and the raw loop on
 * the same files back to back (which goes first alternates), and the modes alternate, so a slow spell of the (shared, virtual) disk
 * hurts both sides of each ratio alike; medians are reported.
 */
export async function measureMigrations(
  setup: MigrationBenchSetup,
  ids: readonly string[],
  sizes: readonly number[],
  repeatsFor: (size: number) => number,
): Promise<BenchRow[]> {
  const workers = availableWorkers();
  const modes = [...new Set([workers, 1])];
  const rows: BenchRow[] = [];
  // Untimed: the first run in a process bundles the worker script and compiles the code paths of
  // both sides; that one-time cost is not a rate per tenant.
  const warmUp = ids.slice(0, WARM_UP_TENANTS);
  await migrateOnce(setup, warmUp, workers, `warm-up: migrating ${warmUp.length} tenants`);
  await rawLoopOnce(setup, warmUp, workers, `warm-up: raw loop over ${warmUp.length} tenants`);
  for (const size of sizes) {
    const tenantIds = ids.slice(0, size);
    const repeats = repeatsFor(size);
    const samples = new Map<number, PairedSample[]>(modes.map((concurrency) => [concurrency, []]));
    for (let repeat = 1; repeat <= repeats; repeat += 1) {
      for (const concurrency of modes) {
        const label = `${size.toLocaleString("en-US")} tenants (${modeName(concurrency)}, run ${repeat}/${repeats})`;
        // Which side goes first alternates, so neither always gets the disk fresh.
        const rawFirst = repeat % 2 === 0;
        const rawBefore = rawFirst ? await rawLoopOnce(setup, tenantIds, concurrency, `raw loop over ${label}`) : undefined;
        const runner = await migrateOnce(setup, tenantIds, concurrency, `migrating ${label}`);
        const rawSeconds = rawBefore ?? (await rawLoopOnce(setup, tenantIds, concurrency, `raw loop over ${label}`));
        samples.get(concurrency)?.push({ runner, rawSeconds });
      }
    }
    for (const concurrency of modes) rows.push(...rowsFor(size, concurrency, samples.get(concurrency) ?? []));
    rows.push(...speedUpRows(size, workers, samples));
  }
  return rows;
}

/** The runner's own default, but at least 2 so the worker path is what runs. */
function availableWorkers(): number {
  return Math.max(2, DEFAULT_MIGRATION_CONCURRENCY);
}
