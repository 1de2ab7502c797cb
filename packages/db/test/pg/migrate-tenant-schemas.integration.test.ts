import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MigrationProgress } from "../../src/migrations/hybrid-migration-manager.ts";
import { migrateTenantSchemas, tenantSchemaStatus, type TenantSchemaTarget } from "../../src/pg/migrate-tenant-schemas.ts";
import { tenantSchemaName } from "../../src/pg/names.ts";
import { pgTenantMigrations } from "../../src/pg/schema-migrations.ts";
import { provisionTenantSchema } from "../../src/pg/tenant-schemas.ts";
import { withTenantTransaction } from "../../src/pg/transactions.ts";
import { createPgFixture, type PgFixture } from "./fixture.ts";
import { historyOf, schemaExists, systemPool, withMigration } from "./schema-fixture.ts";

let fixture: PgFixture;

beforeAll(async () => {
  fixture = await createPgFixture(0);
});
afterAll(async () => fixture.close());

/** Tenants provisioned two migrations behind the committed ones (which have three). */
const OLD_VERSION = 2;
const ADD_NOTE = 'ALTER TABLE "prompts" ADD COLUMN "note" text';
/** The committed migrations plus one more: a schema at OLD_VERSION has two pending. */
const latest = () => withMigration("9999_prompt_note", [ADD_NOTE]);

async function provisionBehind(count: number, prefix: string): Promise<TenantSchemaTarget[]> {
  const targets = Array.from({ length: count }, (_, index) => ({ tenantId: randomUUID(), slug: `${prefix}-${index}` }));
  const old = pgTenantMigrations().slice(0, OLD_VERSION);
  for (const { tenantId } of targets) await provisionTenantSchema(fixture.system, fixture.roles, tenantId, async () => undefined, { migrations: old });
  return targets;
}

function schemaOf(target: TenantSchemaTarget | undefined): string {
  if (!target) throw new Error("The test needs more targets.");
  return tenantSchemaName(target.tenantId);
}

async function hasTable(schema: string, table: string): Promise<boolean> {
  const { rows } = await fixture.admin.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", [schema, table]);
  return rows.length > 0;
}

describe("migrateTenantSchemas", () => {
  test("moves every schema to the latest version and reports each tenant, with progress", async () => {
    const targets = await provisionBehind(5, "all");
    const migrations = latest();
    const progress: MigrationProgress[] = [];

    const report = await migrateTenantSchemas(fixture.system, targets, { migrations, concurrency: 2, onProgress: (p) => progress.push(p) });

    expect(report).toMatchObject({ total: 5, applied: 5, upToDate: 0, failed: 0, latestVersion: migrations.length });
    expect(report.results.map((r) => r.tenantId).sort()).toEqual(targets.map((t) => t.tenantId).sort());
    for (const result of report.results) {
      expect(result).toMatchObject({ status: "applied", applied: 2, fromVersion: OLD_VERSION, toVersion: migrations.length });
      expect(result.slug).toBe(targets.find((t) => t.tenantId === result.tenantId)?.slug);
      expect(await historyOf(fixture.admin, tenantSchemaName(result.tenantId))).toEqual(migrations.map((m) => m.hash));
    }
    expect(progress.map((p) => [p.done, p.total, p.failed])).toEqual([1, 2, 3, 4, 5].map((done) => [done, 5, 0]));
    expect((await tenantSchemaStatus(fixture.system, targets, migrations)).map((s) => s.state)).toEqual(Array(5).fill("up_to_date"));
  });

  test("a failing tenant is rolled back whole, the others go on, and a rerun applies only what is missing", async () => {
    const targets = await provisionBehind(4, "resume");
    const broken = schemaOf(targets[0]);
    // The last pending migration collides with this column; the one before it succeeds alone.
    await fixture.admin.query(`ALTER TABLE "${broken}".prompts ADD COLUMN note text`);
    const missing = { tenantId: randomUUID(), slug: "never-provisioned" };
    const migrations = latest();

    // One at a time, failures first: every later tenant is there only if the run went past them.
    const first = await migrateTenantSchemas(fixture.system, [missing, ...targets], { migrations, concurrency: 1 });

    expect(first).toMatchObject({ total: 5, applied: 3, upToDate: 0, failed: 2 });
    const failedBroken = first.results.find((r) => r.tenantId === targets[0]?.tenantId);
    expect(failedBroken).toMatchObject({ status: "failed", applied: 0, fromVersion: OLD_VERSION, toVersion: OLD_VERSION });
    expect(failedBroken?.error).toMatch(/^Migration 9999_prompt_note failed: column "note" of relation "prompts" already exists$/);
    // One transaction: the migration before the failing one is gone too.
    expect(await hasTable(broken, "prompt_comments")).toBe(false);
    expect(await historyOf(fixture.admin, broken)).toHaveLength(OLD_VERSION);
    expect(first.results.find((r) => r.tenantId === missing.tenantId)).toMatchObject({
      status: "failed",
      error: `The tenant schema ${tenantSchemaName(missing.tenantId)} does not exist.`,
    });
    expect(await schemaExists(fixture.admin, tenantSchemaName(missing.tenantId))).toBe(false);

    await fixture.admin.query(`ALTER TABLE "${broken}".prompts DROP COLUMN note`);
    const rerun = await migrateTenantSchemas(fixture.system, targets, { migrations, concurrency: 2 });

    expect(rerun).toMatchObject({ total: 4, applied: 1, upToDate: 3, failed: 0 });
    expect(rerun.results.find((r) => r.status === "applied")).toMatchObject({ tenantId: targets[0]?.tenantId, applied: 2, toVersion: migrations.length });
    for (const result of rerun.results.filter((r) => r.status === "up_to_date")) {
      expect(result).toMatchObject({ applied: 0, fromVersion: migrations.length, toVersion: migrations.length });
    }
  });

  test("runs at most `concurrency` schemas at once, and more than one", async () => {
    const targets = await provisionBehind(8, "bounded");
    const migrations = withMigration("9999_slow", ["SELECT pg_sleep(0.15)", ADD_NOTE]);
    const pool = systemPool(fixture, 8, "sigil-test-bounded");
    let busiest = 0;
    let running = true;
    const watch = (async () => {
      while (running) {
        const { rows } = await fixture.admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sigil-test-bounded' AND state <> 'idle'",
        );
        busiest = Math.max(busiest, rows[0]?.n ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      const report = await migrateTenantSchemas(pool, targets, { migrations, concurrency: 3 });
      expect(report.applied).toBe(8);
    } finally {
      running = false;
      await watch;
      await pool.end();
    }
    expect(busiest).toBeGreaterThanOrEqual(2);
    expect(busiest).toBeLessThanOrEqual(3);
  });

  test("an aborted run starts no further tenant; the one in flight finishes and is reported", async () => {
    const targets = await provisionBehind(4, "abort");
    const migrations = latest();
    const controller = new AbortController();

    const report = await migrateTenantSchemas(fixture.system, targets, {
      migrations,
      concurrency: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });

    expect(report.total).toBe(4);
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ tenantId: targets[0]?.tenantId, status: "applied" });
    expect((await tenantSchemaStatus(fixture.system, targets, migrations)).map((s) => s.state)).toEqual(["up_to_date", "behind", "behind", "behind"]);
  });

  test("a progress callback that throws does not stop the run: every tenant is migrated, then its error is raised", async () => {
    const targets = await provisionBehind(3, "progress");
    const migrations = latest();

    const run = migrateTenantSchemas(fixture.system, targets, {
      migrations,
      concurrency: 1,
      onProgress: () => {
        throw new Error("progress display broke");
      },
    });

    await expect(run).rejects.toThrow("progress display broke");
    expect((await tenantSchemaStatus(fixture.system, targets, migrations)).map((s) => s.state)).toEqual(["up_to_date", "up_to_date", "up_to_date"]);
  });

  test("two migrators at once on the same schemas never apply a migration twice", async () => {
    const targets = await provisionBehind(4, "race");
    // A slow first statement keeps both runners inside the same schemas at the same time.
    const migrations = withMigration("9999_race", ["SELECT pg_sleep(0.1)", ADD_NOTE]);
    const pools = [systemPool(fixture, 2), systemPool(fixture, 2)];
    try {
      const reports = await Promise.all(pools.map((pool) => migrateTenantSchemas(pool, targets, { migrations, concurrency: 2 })));

      for (const report of reports) expect(report.failed).toBe(0);
      for (const { tenantId } of targets) {
        const outcomes = reports.map((report) => report.results.find((r) => r.tenantId === tenantId)?.status).sort();
        expect(outcomes).toEqual(["applied", "up_to_date"]);
        expect(await historyOf(fixture.admin, tenantSchemaName(tenantId))).toEqual(migrations.map((m) => m.hash));
      }
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test("a migration's statements run as written, a trailing comment included", async () => {
    const [target] = await provisionBehind(1, "comments");
    const migrations = withMigration("9999_commented", ['CREATE TABLE "first" (id integer) -- ends in a comment', 'CREATE TABLE "second" (id integer)']);

    const report = await migrateTenantSchemas(fixture.system, target ? [target] : [], { migrations });

    expect(report.results[0]?.error).toBeUndefined();
    expect(await hasTable(schemaOf(target), "first")).toBe(true);
    expect(await hasTable(schemaOf(target), "second")).toBe(true);
  });

  test("the app role may use a table that a later migration creates (the schema's default privileges)", async () => {
    const [target] = await provisionBehind(1, "later-table");
    if (!target) throw new Error("The tenant was not provisioned.");
    const migrations = withMigration("9999_later_table", [
      'CREATE TABLE "later" (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, body text NOT NULL)',
    ]);
    await migrateTenantSchemas(fixture.system, [target], { migrations });
    const app = await fixture.appPool(1);

    const rows = await withTenantTransaction(app, { tenantId: target.tenantId }, async (tx) => {
      await tx.execute(sql`INSERT INTO later (body) VALUES ('written by the app role')`);
      return (await tx.execute(sql`SELECT id, body FROM later`)).rows;
    });

    expect(rows).toEqual([{ id: 1, body: "written by the app role" }]);
  });

  test("a migration whose hash is not hex is refused before anything of it runs (the hash is written into SQL text)", async () => {
    const [target] = await provisionBehind(1, "hash");
    if (!target) throw new Error("The tenant was not provisioned.");
    const good = withMigration("9999_hash", [ADD_NOTE]);
    const last = good.at(-1);
    if (!last) throw new Error("No migration to alter.");
    const migrations = [...good.slice(0, -1), { ...last, hash: "x', 1); DROP TABLE prompts; --" }];

    const report = await migrateTenantSchemas(fixture.system, [target], { migrations });

    expect(report.results[0]).toMatchObject({
      status: "failed",
      fromVersion: OLD_VERSION,
      error: expect.stringMatching(/^Migration 9999_hash has a malformed hash/) as unknown,
    });
    expect(await hasTable(schemaOf(target), "prompts")).toBe(true);
    expect(await historyOf(fixture.admin, schemaOf(target))).toHaveLength(OLD_VERSION);
  });

  test("refuses a concurrency that is not a whole number ≥ 1", async () => {
    await expect(migrateTenantSchemas(fixture.system, [], { concurrency: 0 })).rejects.toThrow(/concurrency must be a whole number ≥ 1 \(got 0\)/);
  });
});

describe("tenantSchemaStatus", () => {
  test("says up_to_date, behind, missing or unreadable per tenant, in the order given", async () => {
    const [current, behind] = await provisionBehind(2, "status");
    if (!current || !behind) throw new Error("Two tenants were not provisioned.");
    const migrations = latest();
    await migrateTenantSchemas(fixture.system, [current], { migrations });
    const missing = { tenantId: randomUUID(), slug: "missing" };
    const [unreadable] = await provisionBehind(1, "unreadable");
    if (!unreadable) throw new Error("The unreadable tenant was not provisioned.");
    await fixture.admin.query(`ALTER TABLE "${tenantSchemaName(unreadable.tenantId)}".__drizzle_migrations DROP COLUMN created_at`);

    const statuses = await tenantSchemaStatus(fixture.system, [current, behind, missing, unreadable], migrations);

    expect(statuses).toEqual([
      { tenantId: current.tenantId, slug: current.slug, version: migrations.length, latest: migrations.length, state: "up_to_date" },
      { tenantId: behind.tenantId, slug: behind.slug, version: OLD_VERSION, latest: migrations.length, state: "behind" },
      { tenantId: missing.tenantId, slug: "missing", version: null, latest: migrations.length, state: "missing" },
      {
        tenantId: unreadable.tenantId,
        slug: unreadable.slug,
        version: null,
        latest: migrations.length,
        state: "unreadable",
        error: 'column "created_at" does not exist',
      },
    ]);
  });
});
