import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteConnection } from "../src/connection.ts";
import { MigrationFailedError, TenantSchemaOutdatedError } from "../src/errors.ts";
import type { HybridDatabaseManager, HybridDatabaseOptions } from "../src/hybrid-manager.ts";
import { sqliteCompanionFiles } from "../src/identifiers.ts";
import {
  HybridMigrationManager,
  type MigrationProgress,
  type TenantMigrationReport,
  type TenantMigrationResult,
} from "../src/migrations/hybrid-migration-manager.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { loadMigrations, TENANT_MIGRATIONS_FOLDER } from "../src/migrations/migration-files.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";
import {
  buildMigrationFolder,
  columnNames,
  fileSha256,
  hasSchemaObject,
  promptsRebuildMigration,
  reconfigure,
  removeMigrationFolders,
  seedPrompts,
  snapshotTenantFile,
  withRawConnection,
  type ExtraMigration,
  type MigrationFolder,
  type PromptSeed,
} from "./migration-fixtures.ts";

/** The committed tenant migrations: a tenant made with them is at this version; the tests add one more. */
const BASE = loadMigrations(TENANT_MIGRATIONS_FOLDER).length;

/**
 * Operator-facing behaviour of tenant migrations, on real SQLite files in temp dirs:
 * per-tenant outcomes, resume after a fix, worker threads vs in-process, table rebuilds with
 * ON DELETE CASCADE children, foreign_key_check, migrate-on-open (auto | strict), shared
 * migrations, missing files. Tenants are put "behind" by provisioning them on the real folder and
 * then configuring a manager on a fixture folder with extra migrations.
 */

let env: Awaited<ReturnType<typeof useTempDataDir>>;
const extraDirs: string[] = [];

beforeEach(async () => {
  env = await useTempDataDir();
});

afterEach(async () => {
  // configure() closes the previous process-wide manager; close whichever is current now.
  current?.close();
  current = undefined;
  await env.cleanup();
  for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  removeMigrationFolders();
});

let current: HybridDatabaseManager | undefined;
function configureOn(folder: MigrationFolder, options: Partial<HybridDatabaseOptions> = {}): HybridDatabaseManager {
  current = reconfigure(env.dataDir, { tenantMigrationsFolder: folder.folder, ...options });
  return current;
}

function pathOf(tenant: TenantRow): string {
  return env.manager.tenantDatabasePath(tenant.id);
}

function pick<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`No item at index ${index}.`);
  return item;
}

function resultOf(report: TenantMigrationReport, tenant: TenantRow): TenantMigrationResult {
  const matches = report.results.filter((r) => r.tenantId === tenant.id);
  expect(matches, `exactly one result for ${tenant.slug}`).toHaveLength(1);
  return pick(matches, 0);
}

async function stateOf(migrator: HybridMigrationManager, tenant: TenantRow): Promise<{ version: number | null; state: string }> {
  const status = (await migrator.status()).find((s) => s.tenantId === tenant.id);
  if (!status) throw new Error(`status() does not list ${tenant.slug}.`);
  return { version: status.version, state: status.state };
}

/** Watches the worker threads this process creates (process "worker" event), without touching them. */
function watchWorkers(): { created: number; online: number; errors: Error[]; stop: () => void } {
  const seen = {
    created: 0,
    online: 0,
    errors: [] as Error[],
    stop: () => {
      process.off("worker", onWorker);
    },
  };
  const onWorker = (worker: Worker) => {
    seen.created += 1;
    worker.once("online", () => {
      seen.online += 1;
    });
    worker.on("error", (error) => seen.errors.push(error));
  };
  process.on("worker", onWorker);
  return seen;
}

async function runWithProgress(
  migrator: HybridMigrationManager,
  concurrency: number,
): Promise<{ report: TenantMigrationReport; progress: MigrationProgress[]; workers: { created: number; online: number; errors: Error[] } }> {
  const progress: MigrationProgress[] = [];
  const workers = watchWorkers();
  try {
    const report = await migrator.runTenantMigrations({ concurrency, onProgress: (p) => progress.push(p) });
    return { report, progress, workers };
  } finally {
    workers.stop();
  }
}

function expectProgress(progress: readonly MigrationProgress[], report: TenantMigrationReport, failed: number): void {
  expect(progress).toHaveLength(report.total);
  progress.forEach((p, i) => {
    expect(p.done).toBe(i + 1);
    expect(p.total).toBe(report.total);
    if (i > 0) expect(p.failed).toBeGreaterThanOrEqual(pick(progress, i - 1).failed);
  });
  expect(progress.at(-1)?.failed).toBe(failed);
  expect(new Set(progress.map((p) => p.result.tenantId))).toEqual(new Set(report.results.map((r) => r.tenantId)));
}

function expectWorkers(workers: { created: number; online: number; errors: Error[] }, concurrency: number): void {
  if (concurrency === 1) {
    expect(workers.created).toBe(0);
  } else {
    // tsx loads the TypeScript worker under Vitest: every worker came online, none crashed
    // (a crash would make the manager fall back to migrating in process and hide it).
    expect(workers.created).toBe(concurrency);
    expect(workers.online).toBe(concurrency);
    expect(workers.errors).toEqual([]);
  }
}

const BASE_SEEDS: PromptSeed[] = [
  { name: "welcome", updates: 2, withChildren: true },
  { name: "digest", updates: 1 },
];

const MODES = [
  { concurrency: 2, mode: "worker threads (concurrency 2)" },
  { concurrency: 1, mode: "in process (concurrency 1)" },
];

interface FailingVariant {
  label: string;
  migration: ExtraMigration;
  /** Data, in one tenant only, that the migration cannot accept. */
  poison: PromptSeed[];
  error: RegExp;
  repair: (connection: SqliteConnection) => void;
  /** True once the migration's change is in the file. */
  migrated: (path: string) => boolean;
}

const FAILING: FailingVariant[] = [
  {
    label: "CREATE UNIQUE INDEX on lower(name), one tenant has 'Summary' and 'summary'",
    migration: {
      name: "prompts_name_ci_unique",
      statements: ["CREATE UNIQUE INDEX `prompts_name_ci_unique` ON `prompts` (lower(`name`));"],
    },
    poison: [{ name: "Summary" }, { name: "summary", updates: 1 }],
    error: /UNIQUE constraint failed/,
    repair: (c) => c.prepare("UPDATE prompts SET name = 'summary-2' WHERE name = 'summary'").run(),
    migrated: (path) => hasSchemaObject(path, "prompts_name_ci_unique"),
  },
  {
    label: "table rebuild adding CHECK(length(template) > 0), one tenant has an empty template",
    migration: promptsRebuildMigration("prompts_template_check", {
      constraint: `CONSTRAINT "prompts_template_not_empty" CHECK(length("template") > 0)`,
    }),
    poison: [{ name: "blank", template: "" }],
    error: /CHECK constraint failed/,
    repair: (c) => c.prepare("UPDATE prompts SET template = 'filled in' WHERE template = ''").run(),
    migrated: (path) => columnNames(path, "prompts").includes("archived"),
  },
];

const N = 6;
const POISONED = 3;

/** Per-tenant outcome of each variant's first run, by mode: both modes must agree (case 2). */
const outcomes = new Map<string, { concurrency: number; outcome: unknown[] }>();
function outcomeOf(report: TenantMigrationReport): unknown[] {
  return report.results.map((r) => [r.slug, r.status, r.applied, r.fromVersion, r.toVersion, r.error]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
}

describe.each(FAILING)("a migration failing for 1 tenant of 6 because of its data: $label", (variant) => {
  it.each(MODES)("$mode: that tenant fails and keeps schema and data, the others apply; a rerun after the fix resumes", async ({ concurrency }) => {
    const tenants = await createTenants(...Array.from({ length: N }, (_, i) => `tenant-${i + 1}`));
    for (const tenant of tenants) await seedPrompts(tenant.id, BASE_SEEDS);
    const poisoned = pick(tenants, POISONED);
    await seedPrompts(poisoned.id, variant.poison);

    const folder = buildMigrationFolder([variant.migration]);
    const newTag = pick(folder.tags, BASE);
    const migrator = new HybridMigrationManager(configureOn(folder));
    const before = new Map(tenants.map((t) => [t.id, snapshotTenantFile(pathOf(t))]));
    expect((await migrator.status()).map((s) => [s.version, s.state])).toEqual(tenants.map(() => [BASE, "behind"]));

    const { report, progress, workers } = await runWithProgress(migrator, concurrency);

    expect(report).toMatchObject({ total: N, applied: N - 1, upToDate: 0, failed: 1, latestVersion: BASE + 1 });
    expect(report.results.map((r) => r.tenantId).sort()).toEqual(tenants.map((t) => t.id).sort());
    const failure = resultOf(report, poisoned);
    expect(failure).toMatchObject({ status: "failed", slug: poisoned.slug, applied: 0, fromVersion: BASE, toVersion: BASE });
    expect(failure.error).toMatch(variant.error);
    expect(failure.error).toContain(newTag);
    expect(Number.isFinite(failure.durationMs) && failure.durationMs > 0).toBe(true);
    for (const tenant of tenants.filter((t) => t !== poisoned)) {
      const result = resultOf(report, tenant);
      expect(result).toMatchObject({ status: "applied", applied: 1, fromVersion: BASE, toVersion: BASE + 1 });
      expect(result.error).toBeUndefined();
      expect(result.durationMs).toBeGreaterThan(0);
      expect(variant.migrated(pathOf(tenant))).toBe(true);
      expect(snapshotTenantFile(pathOf(tenant)).counts).toEqual(before.get(tenant.id)?.counts);
    }
    expectProgress(progress, report, 1);
    expectWorkers(workers, concurrency);
    // Worker threads and in-process give the same per-tenant outcome, error text included.
    const other = outcomes.get(variant.label);
    if (other) expect(outcomeOf(report), `concurrency ${concurrency} vs ${other.concurrency}`).toEqual(other.outcome);
    else outcomes.set(variant.label, { concurrency, outcome: outcomeOf(report) });

    // The failed tenant is on its old schema with every row: the file is exactly as before.
    expect(await stateOf(migrator, poisoned)).toEqual({ version: BASE, state: "behind" });
    expect(snapshotTenantFile(pathOf(poisoned))).toEqual(before.get(poisoned.id));
    expect(variant.migrated(pathOf(poisoned))).toBe(false);
    expect(hasSchemaObject(pathOf(poisoned), "__new_prompts")).toBe(false);

    // The operator fixes the data and reruns: only the failed tenant has work left.
    withRawConnection(pathOf(poisoned), variant.repair);
    const rerun = await runWithProgress(migrator, concurrency);
    expect(rerun.report).toMatchObject({ total: N, applied: 1, upToDate: N - 1, failed: 0 });
    expect(resultOf(rerun.report, poisoned)).toMatchObject({ status: "applied", applied: 1, fromVersion: BASE, toVersion: BASE + 1 });
    for (const tenant of tenants.filter((t) => t !== poisoned)) {
      expect(resultOf(rerun.report, tenant)).toMatchObject({ status: "up_to_date", applied: 0, fromVersion: BASE + 1, toVersion: BASE + 1 });
    }
    expectProgress(rerun.progress, rerun.report, 0);
    expect((await migrator.status()).map((s) => [s.version, s.state])).toEqual(tenants.map(() => [BASE + 1, "up_to_date"]));
    expect(variant.migrated(pathOf(poisoned))).toBe(true);
    const after = snapshotTenantFile(pathOf(poisoned));
    expect(after.counts).toEqual(before.get(poisoned.id)?.counts);
    expect(after.foreignKeyViolations).toBe(0);
  });
});

describe("table rebuilds and foreign keys", () => {
  const REBUILD = promptsRebuildMigration("prompts_archived");

  it("a drizzle-kit rebuild of prompts keeps every ON DELETE CASCADE child (prompt_versions, executions, deployments)", async () => {
    const tenants = await createTenants("rebuild-a", "rebuild-b", "rebuild-c");
    const [a, b, c] = [pick(tenants, 0), pick(tenants, 1), pick(tenants, 2)];
    await seedPrompts(a.id, [{ name: "one", updates: 2, withChildren: true }, { name: "two", updates: 1, withChildren: true }, { name: "three" }]);
    await seedPrompts(b.id, [{ name: "solo", updates: 4, withChildren: true }]);
    const folder = buildMigrationFolder([REBUILD]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    const before = new Map(tenants.map((t) => [t.id, snapshotTenantFile(pathOf(t))]));
    expect(before.get(a.id)?.counts).toEqual({ prompts: 3, prompt_versions: 6, executions: 2, deployments: 2 });

    // Control: the trap is real. The same SQL in one transaction on a connection with
    // foreign_keys=ON (what drizzle's migrator does) cascades DROP TABLE into the children.
    const control = join(env.dataDir, "control.sqlite");
    withRawConnection(pathOf(a), (conn) => conn.prepare("VACUUM INTO ?").run(control));
    withRawConnection(control, (conn) => {
      conn.transaction(() => {
        for (const statement of REBUILD.statements) conn.exec(statement);
      })();
      expect(conn.prepare("SELECT count(*) AS n FROM prompt_versions").get()).toEqual({ n: 0 });
    });

    const { report, workers } = await runWithProgress(migrator, 2);
    expectWorkers(workers, 2);
    expect(report).toMatchObject({ total: 3, applied: 3, failed: 0 });
    for (const tenant of [a, b, c]) {
      const after = snapshotTenantFile(pathOf(tenant));
      const previous = before.get(tenant.id);
      expect(after.counts, tenant.slug).toEqual(previous?.counts);
      expect(after.prompts, tenant.slug).toEqual(previous?.prompts);
      expect(after.foreignKeyViolations).toBe(0);
      expect(after.migrationsRecorded).toBe(BASE + 1);
      expect(columnNames(pathOf(tenant), "prompts")).toContain("archived");
      expect(hasSchemaObject(pathOf(tenant), "prompts_name_unique")).toBe(true);
      expect(hasSchemaObject(pathOf(tenant), "__new_prompts")).toBe(false);
    }

    // The children are bound to the rebuilt table: deleting a prompt still cascades.
    const parents = withRawConnection(pathOf(a), (conn) => (conn.pragma("foreign_key_list(prompt_versions)") as { table: string }[]).map((fk) => fk.table));
    expect(parents).toEqual(["prompts"]);
    await tenantContext.runWithTenant(a.id, async () => {
      const one = await promptModel.findByName("one");
      if (!one) throw new Error("prompt 'one' is gone");
      expect(await promptModel.delete(one.id)).toBe(true);
      expect(await promptModel.versions(one.id)).toEqual([]);
    });
    expect(snapshotTenantFile(pathOf(a)).counts).toEqual({ prompts: 2, prompt_versions: 3, executions: 1, deployments: 1 });
  });

  it("a rebuild that re-keys prompts leaves dangling children: foreign_key_check fails those tenants and rolls them back fully", async () => {
    const tenants = await createTenants("rekey-a", "rekey-b", "rekey-empty");
    const [a, b, empty] = [pick(tenants, 0), pick(tenants, 1), pick(tenants, 2)];
    await seedPrompts(a.id, [{ name: "one", updates: 1, withChildren: true }, { name: "two" }]);
    await seedPrompts(b.id, [{ name: "solo" }]);
    const folder = buildMigrationFolder([promptsRebuildMigration("prompts_rekey", { idExpression: `'p2-' || "id"` })]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    const before = new Map(tenants.map((t) => [t.id, snapshotTenantFile(pathOf(t))]));

    const { report, progress, workers } = await runWithProgress(migrator, 2);
    expectWorkers(workers, 2);
    expectProgress(progress, report, 2);
    expect(report).toMatchObject({ total: 3, applied: 1, failed: 2 });
    // A tenant without prompts has nothing to dangle: the rebuild applies there.
    expect(resultOf(report, empty)).toMatchObject({ status: "applied", toVersion: BASE + 1 });
    for (const tenant of [a, b]) {
      const result = resultOf(report, tenant);
      expect(result).toMatchObject({ status: "failed", fromVersion: BASE, toVersion: BASE });
      expect(result.error).toMatch(/foreign_key_check reported \d+ violation\(s\).*prompt_versions row \d+ → prompts.*rolled back/);
      expect(snapshotTenantFile(pathOf(tenant)), tenant.slug).toEqual(before.get(tenant.id));
      expect(await stateOf(migrator, tenant)).toEqual({ version: BASE, state: "behind" });
    }
  });

  it.each(MODES)("$mode: a migration that inserts an orphan child fails via foreign_key_check and leaves nothing behind", async ({ concurrency }) => {
    const tenants = await createTenants("orphan-a", "orphan-b");
    for (const tenant of tenants) await seedPrompts(tenant.id, [{ name: "one", withChildren: true }]);
    const folder = buildMigrationFolder([
      {
        name: "backfill_with_orphan",
        statements: [
          "ALTER TABLE `prompts` ADD `archived` integer DEFAULT false NOT NULL;",
          "INSERT INTO `executions` (`id`, `prompt_id`, `prompt_version`, `input`, `provider`, `model`) VALUES ('orphan', 'no-such-prompt', 1, '{}', 'openai', 'gpt-4o');",
        ],
      },
    ]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    const before = new Map(tenants.map((t) => [t.id, snapshotTenantFile(pathOf(t))]));

    const { report } = await runWithProgress(migrator, concurrency);
    expect(report).toMatchObject({ total: 2, applied: 0, failed: 2 });
    for (const tenant of tenants) {
      expect(resultOf(report, tenant).error).toMatch(/foreign_key_check reported 1 violation\(s\).*executions row \d+ → prompts/);
      expect(snapshotTenantFile(pathOf(tenant))).toEqual(before.get(tenant.id));
      expect(columnNames(pathOf(tenant), "prompts")).not.toContain("archived");
    }
  });
});

describe("migrate-on-open", () => {
  it("auto: a tenant that is behind is migrated when the models first open it (children kept, foreign keys back on)", async () => {
    const tenants = await createTenants("open-a", "open-b");
    const [a, b] = [pick(tenants, 0), pick(tenants, 1)];
    for (const tenant of tenants) await seedPrompts(tenant.id, BASE_SEEDS);
    const folder = buildMigrationFolder([promptsRebuildMigration("prompts_archived")]);
    const manager = configureOn(folder, { migrateOnOpen: "auto" });
    const migrator = new HybridMigrationManager(manager);
    const before = snapshotTenantFile(pathOf(a));

    const names = await tenantContext.runWithTenant(a.id, async () => (await promptModel.findMany()).map((p) => p.name));
    expect(names.sort()).toEqual(["digest", "welcome"]);

    expect(await stateOf(migrator, a)).toEqual({ version: BASE + 1, state: "up_to_date" });
    // Only the tenant that was opened is migrated.
    expect(await stateOf(migrator, b)).toEqual({ version: BASE, state: "behind" });
    expect(columnNames(pathOf(a), "prompts")).toContain("archived");
    const after = snapshotTenantFile(pathOf(a));
    expect(after.counts).toEqual(before.counts);
    expect(after.prompts).toEqual(before.prompts);
    expect(after.foreignKeyViolations).toBe(0);
    // The handle now served has foreign keys on again.
    expect(manager.withTenantDatabase(a.id, (db) => db.$client.pragma("foreign_keys", { simple: true }))).toBe(1);
    await tenantContext.runWithTenant(a.id, async () => {
      await promptModel.create({ name: "after-migration", template: "x" });
      expect(await promptModel.count()).toBe(3);
    });
  });

  it("auto: a migration that fails on open refuses the tenant and leaves its file as it was", async () => {
    const [tenant] = await createTenants("open-bad");
    if (!tenant) throw new Error("no tenant");
    await seedPrompts(tenant.id, [{ name: "Summary" }, { name: "summary" }]);
    const failing = pick(FAILING, 0);
    const manager = configureOn(buildMigrationFolder([failing.migration]), { migrateOnOpen: "auto" });
    const before = snapshotTenantFile(pathOf(tenant));

    const error = await tenantContext
      .runWithTenant(tenant.id, () => promptModel.findMany())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect(error instanceof Error ? error.message : "").toMatch(/UNIQUE constraint failed/);
    expect(manager.isTenantOpen(tenant.id)).toBe(false);
    expect(snapshotTenantFile(pathOf(tenant))).toEqual(before);
  });

  it("strict: a tenant that is behind is refused with TenantSchemaOutdatedError and its file is not changed", async () => {
    const [tenant] = await createTenants("strict-a");
    if (!tenant) throw new Error("no tenant");
    await seedPrompts(tenant.id, BASE_SEEDS);
    const folder = buildMigrationFolder([
      { name: "prompts_archived_column", statements: ["ALTER TABLE `prompts` ADD `archived` integer DEFAULT false NOT NULL;"] },
    ]);
    const manager = configureOn(folder, { migrateOnOpen: "strict" });
    const migrator = new HybridMigrationManager(manager);
    const snapshot = snapshotTenantFile(pathOf(tenant));
    const hash = fileSha256(pathOf(tenant));

    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const error = await tenantContext
        .runWithTenant(tenant.id, () => promptModel.findMany())
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error, `attempt ${attempt}`).toBeInstanceOf(TenantSchemaOutdatedError);
      if (!(error instanceof TenantSchemaOutdatedError)) throw new Error("unreachable");
      expect(error).toMatchObject({ code: "TENANT_SCHEMA_OUTDATED", tenantId: tenant.id, version: BASE, latest: BASE + 1 });
    }
    expect(manager.isTenantOpen(tenant.id)).toBe(false);
    expect(fileSha256(pathOf(tenant))).toBe(hash);
    expect(snapshotTenantFile(pathOf(tenant))).toEqual(snapshot);
    expect(await stateOf(migrator, tenant)).toEqual({ version: BASE, state: "behind" });

    // After the operator migrates, strict serves it.
    const report = await migrator.runTenantMigrations({ concurrency: 1 });
    expect(resultOf(report, tenant).status).toBe("applied");
    const count = await tenantContext.runWithTenant(tenant.id, () => promptModel.count());
    expect(count).toBe(2);
  });
});

describe("shared migrations", () => {
  it("runSharedMigrations() is idempotent: the second run applies 0", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sigil-shared-"));
    extraDirs.push(dataDir);
    current = reconfigure(dataDir);
    const migrator = new HybridMigrationManager(current);
    const latest = current.sharedMigrations().length;
    expect(latest).toBeGreaterThan(0);

    expect(await migrator.runSharedMigrations()).toEqual({ applied: latest, fromVersion: 0, toVersion: latest });
    expect(await migrator.runSharedMigrations()).toEqual({ applied: 0, fromVersion: latest, toVersion: latest });
    const recorded = current.getSharedDatabase().$client.prepare('SELECT count(*) AS n FROM "__drizzle_migrations"').get();
    expect(recorded).toEqual({ n: latest });

    // The seed's entry point: shared then tenants, and again with nothing to do.
    await createTenants("shared-a", "shared-b");
    const again = await migrator.runMigrations({ concurrency: 1 });
    expect(again.shared.applied).toBe(0);
    expect(again.tenants).toMatchObject({ total: 2, upToDate: 2, applied: 0, failed: 0 });
  });
});

describe("missing or unreadable tenant files", () => {
  it.each(MODES)("$mode: a missing file is reported failed (not thrown, not re-created) and the run goes on", async ({ concurrency }) => {
    const tenants = await createTenants("miss-a", "miss-b", "miss-c", "miss-d");
    const gone = pick(tenants, 1);
    const folder = buildMigrationFolder([
      { name: "prompts_archived_column", statements: ["ALTER TABLE `prompts` ADD `archived` integer DEFAULT false NOT NULL;"] },
    ]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    for (const file of sqliteCompanionFiles(pathOf(gone))) rmSync(file, { force: true });

    const { report, progress, workers } = await runWithProgress(migrator, concurrency);
    expectWorkers(workers, concurrency);
    expectProgress(progress, report, 1);
    expect(report).toMatchObject({ total: 4, applied: 3, failed: 1 });
    const failure = resultOf(report, gone);
    expect(failure).toMatchObject({ status: "failed", slug: "miss-b" });
    expect(failure.error).toMatch(/missing/);
    for (const tenant of tenants.filter((t) => t !== gone)) expect(resultOf(report, tenant).status).toBe("applied");
    expect(existsSync(pathOf(gone))).toBe(false);
    expect(await stateOf(migrator, gone)).toEqual({ version: null, state: "missing" });

    // A rerun fails it again and leaves the others alone.
    const rerun = await migrator.runTenantMigrations({ concurrency });
    expect(rerun).toMatchObject({ total: 4, applied: 0, upToDate: 3, failed: 1 });
    expect(existsSync(pathOf(gone))).toBe(false);
  });

  it("worker threads: with results sent back in batches, every result is reported for the tenant it belongs to", async () => {
    // Workers take tenants from a shared counter and answer in batches: an answer must be booked
    // to its own tenant, not a neighbour. Missing files spread through the list make that visible.
    const tenants = await createTenants(...Array.from({ length: 90 }, (_, index) => `many-${index}`));
    const gone = new Set(tenants.filter((_, index) => index % 3 === 1).map((tenant) => tenant.id));
    const folder = buildMigrationFolder([{ name: "prompts_note_column", statements: ["ALTER TABLE `prompts` ADD `note` text;"] }]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    for (const tenant of tenants) if (gone.has(tenant.id)) for (const file of sqliteCompanionFiles(pathOf(tenant))) rmSync(file, { force: true });

    const { report, workers } = await runWithProgress(migrator, 2);
    expectWorkers(workers, 2);
    expect(report).toMatchObject({ total: 90, applied: 60, failed: 30 });
    for (const tenant of tenants) expect(resultOf(report, tenant).status, tenant.slug).toBe(gone.has(tenant.id) ? "failed" : "applied");
  });

  it("a file that is not a SQLite database is reported failed and the run goes on", async () => {
    const tenants = await createTenants("junk-a", "junk-b", "junk-c");
    const junk = pick(tenants, 0);
    const folder = buildMigrationFolder([
      { name: "prompts_archived_column", statements: ["ALTER TABLE `prompts` ADD `archived` integer DEFAULT false NOT NULL;"] },
    ]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    for (const file of sqliteCompanionFiles(pathOf(junk))) rmSync(file, { force: true });
    writeFileSync(pathOf(junk), "this is not a database, it is a text file of some length ".repeat(100));

    const { report } = await runWithProgress(migrator, 2);
    expect(report).toMatchObject({ total: 3, applied: 2, failed: 1 });
    expect(resultOf(report, junk)).toMatchObject({ status: "failed" });
    expect(resultOf(report, junk).error).toMatch(/not a database/);
    // status() reports the unreadable file without hiding the other tenants' status.
    const statuses = await migrator.status();
    expect(statuses.find((s) => s.tenantId === junk.id)).toMatchObject({ state: "unreadable", version: null });
    expect(statuses.find((s) => s.tenantId === junk.id)?.error).toMatch(/not a database/);
    expect(statuses.filter((s) => s.state === "up_to_date")).toHaveLength(2);
  });
});

describe("progress callbacks", () => {
  it.each(MODES)("$mode: a throwing onProgress neither stalls nor stops the run; the run then rejects with it", async ({ concurrency }) => {
    const tenants = await createTenants("cb-a", "cb-b", "cb-c", "cb-d");
    const folder = buildMigrationFolder([{ name: "prompts_flag_column", statements: ["ALTER TABLE `prompts` ADD `flag` integer DEFAULT 0 NOT NULL;"] }]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    let calls = 0;
    const run = migrator.runTenantMigrations({
      concurrency,
      onProgress: () => {
        calls += 1;
        throw new Error("progress display broke");
      },
    });
    await expect(run).rejects.toThrow("progress display broke");
    expect(calls).toBe(tenants.length);
    expect((await migrator.status()).every((s) => s.state === "up_to_date")).toBe(true);
  });
});

describe("worker threads that stop", () => {
  it("a worker killed mid-run fails only the tenants it had taken and not reported; the others finish and a rerun completes", async () => {
    const tenants = await createTenants(...Array.from({ length: 240 }, (_, index) => `kill-${index}`));
    const workers: Worker[] = [];
    const onWorker = (worker: Worker) => workers.push(worker);
    process.on("worker", onWorker);
    // The kill lands between two of the worker's batches now and then (nothing taken and not
    // reported): each attempt migrates every tenant again, with one more column, until a kill
    // caught tenants in flight. Every attempt must keep the invariants either way.
    const extras: { name: string; statements: string[] }[] = [];
    let crashedInSomeRun = 0;
    let migrator: HybridMigrationManager | undefined;
    try {
      for (let attempt = 0; attempt < 5 && crashedInSomeRun === 0; attempt += 1) {
        extras.push({ name: `prompts_kill_column_${attempt}`, statements: [`ALTER TABLE \`prompts\` ADD \`kill_note_${attempt}\` text;`] });
        migrator = new HybridMigrationManager(configureOn(buildMigrationFolder(extras)));
        workers.length = 0;
        let killed = false;
        const report = await migrator.runTenantMigrations({
          concurrency: 2,
          onProgress: ({ done }) => {
            // Once the workers are well under way, one is killed in the middle of a batch.
            if (killed || done < 60) return;
            killed = true;
            void workers[0]?.terminate();
          },
        });
        expect(killed).toBe(true);
        expect(report.total).toBe(tenants.length);
        expect(new Set(report.results.map((r) => r.tenantId)).size).toBe(tenants.length);
        const crashed = report.results.filter((r) => r.status === "failed");
        for (const result of crashed) expect(result.error).toMatch(/^Worker crashed/);
        expect(report.applied + crashed.length).toBe(tenants.length);
        // The killed worker may have finished a tenant it had not reported yet: the rerun finds it up to date.
        const rerun = await migrator.runTenantMigrations({ concurrency: 2 });
        expect(rerun.failed).toBe(0);
        expect((await migrator.status()).every((s) => s.state === "up_to_date")).toBe(true);
        crashedInSomeRun = crashed.length;
      }
    } finally {
      process.off("worker", onWorker);
    }
    expect(crashedInSomeRun).toBeGreaterThan(0);
  });

  it.each(MODES)("$mode: aborting stops taking tenants; each tenant is migrated fully or not at all, and a rerun does the rest", async ({ concurrency }) => {
    const tenants = await createTenants(...Array.from({ length: 120 }, (_, index) => `abort-${index}`));
    const folder = buildMigrationFolder([{ name: "prompts_abort_column", statements: ["ALTER TABLE `prompts` ADD `abort_note` text;"] }]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    const abort = new AbortController();
    const report = await migrator.runTenantMigrations({
      concurrency,
      signal: abort.signal,
      onProgress: ({ done }) => {
        if (done === 5) abort.abort();
      },
    });
    expect(report.results.length).toBeGreaterThanOrEqual(5);
    expect(report.results.length).toBeLessThan(tenants.length);
    expect(report.failed).toBe(0);
    const migrated = new Set(report.results.map((r) => r.tenantId));
    for (const tenant of tenants) {
      expect(columnNames(pathOf(tenant), "prompts").includes("abort_note"), tenant.slug).toBe(migrated.has(tenant.id));
    }
    const rerun = await migrator.runTenantMigrations({ concurrency });
    expect(rerun).toMatchObject({ applied: tenants.length - migrated.size, upToDate: migrated.size, failed: 0 });
  });
});

describe("foreign_key_check after additive statements", () => {
  it.each(MODES)("$mode: an added column that references nothing, with a default, is caught and rolled back", async ({ concurrency }) => {
    const [tenant] = await createTenants("fk-default");
    if (!tenant) throw new Error("no tenant");
    await seedPrompts(tenant.id, [{ name: "one", updates: 0 }]);
    const folder = buildMigrationFolder([
      { name: "prompts_owner_ref", statements: ["ALTER TABLE `prompts` ADD `owner_prompt` text DEFAULT 'nobody' REFERENCES `prompts`(`id`);"] },
    ]);
    const migrator = new HybridMigrationManager(configureOn(folder));
    const report = await migrator.runTenantMigrations({ concurrency });
    expect(resultOf(report, tenant).error).toMatch(/foreign_key_check reported 1 violation/);
    expect(columnNames(pathOf(tenant), "prompts")).not.toContain("owner_prompt");
  });
});
