/**
 * Storage benchmarks (issue: storage core). Everything happens in a temporary DATA_DIR that is
 * deleted at the end, even when a step throws:
 * 1. provisioning: `tenantModel.createTenant` timed for real (200 tenants);
 * 2. 10,000 more tenants cloned from one provisioned tenant (cloneTenant in packages/db/bench:
 *    copying is ~10× faster than provisioning and yields identical files);
 * 3. cold open of a random tenant among those 10,000, and the start-up of a manager over them;
 * 4. one ALTER migrated over 1,000 and 10,000 of them, parallel and sequential, by the runner and by
 *    a raw loop (the disk's limit) back to back, reported as ratios (storage/migrate.ts).
 *
 * `--tenants N` or BENCH_TENANTS (default 10000) shrinks the run for a quick smoke test; the table says the size.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager } from "@sigil/db";
import { cloneTenant } from "@sigil/db/bench";
import { flushDisk } from "./lib/flush-disk.ts";
import { progress, step } from "./lib/progress.ts";
import type { BenchOptions, BenchRow } from "./lib/types.ts";
import { measureColdOpen } from "./storage/cold-open.ts";
import { measureManagerStartup } from "./storage/manager-startup.ts";
import { measureMigrations, type MigrationBenchSetup } from "./storage/migrate.ts";
import { createMigrationsFixture } from "./storage/migrations-fixture.ts";
import { measureProvisioning } from "./storage/provision.ts";

const PROVISION_SAMPLES = 200;
const COLD_OPEN_SAMPLES = 2000;
/**
 * Migration runs per size and mode; the shared virtual disk varies by ±30 % from one second to the
 * next, so small sizes (a second per run: per-repeat ratios 0.61–1.17 with 5 repeats) get more
 * repeats than 10,000 tenants (~10 s per run and side).
 */
const migrationRepeats = (size: number) => (size <= 1000 ? 9 : 3);

function tenantCount(options: BenchOptions): number {
  const raw = process.env.BENCH_TENANTS;
  const count = options.tenants ?? (raw === undefined || raw === "" ? 10_000 : Number(raw));
  if (!Number.isInteger(count) || count < 1000) throw new Error(`--tenants or BENCH_TENANTS must be a whole number ≥ 1000 (got ${count})`);
  return count;
}

export async function storageBenchmarks(options: BenchOptions): Promise<BenchRow[]> {
  const total = tenantCount(options);
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-"));
  const dataDir = join(root, "data");
  const rows: BenchRow[] = [];
  let manager: HybridDatabaseManager | undefined;
  // Whatever ran before us (a previous run deleting 10,000 files) must not drain during our timings.
  flushDisk();
  try {
    // tenantModel works through the process-wide manager, so this one is the singleton.
    manager = HybridDatabaseManager.configure({ dataDir });
    await manager.runSharedMigrations();
    const { synchronous, tenantCacheSize } = manager.options;
    step(`data in ${root} (synchronous=${synchronous}, TENANT_DB_CACHE_SIZE=${tenantCacheSize})`);

    const provisioning = await measureProvisioning(PROVISION_SAMPLES, synchronous);
    rows.push(...provisioning.rows);
    const first = provisioning.created[0];
    if (!first) throw new Error("provisioning created no tenant");
    const copying = progress(`creating ${total.toLocaleString("en-US")} tenant files`, total);
    const ids = cloneTenant(manager, first.id, total, { slugPrefix: "bench", onProgress: (copied) => copying.tick(copied) });
    copying.finish();
    // Keep a pristine copy at the old schema version: the migration runs reset files from it.
    const templateFile = join(root, "template.sqlite");
    copyFileSync(manager.tenantDatabasePath(first.id), templateFile);
    flushDisk();
    rows.push(...measureColdOpen(manager, ids, COLD_OPEN_SAMPLES));
    rows.push(...measureManagerStartup(dataDir, total + provisioning.created.length));
    const migrationsFolder = createMigrationsFixture(manager.options.tenantMigrationsFolder, join(root, "tenant-migrations"));
    manager.close();

    const setup: MigrationBenchSetup = { dataDir, migrationsFolder, templateFile };
    rows.push(...(await measureMigrations(setup, ids, [...new Set([1000, total])], migrationRepeats)));
    return rows;
  } finally {
    // Not getInstance(): after close() it would create a manager on ./data.
    manager?.close();
    step(`removing ${root}`);
    rmSync(root, { recursive: true, force: true });
    // Freeing ~1 GB of files (trimmed at once on mounts with `discard`) would otherwise slow the next suite.
    flushDisk();
  }
}
