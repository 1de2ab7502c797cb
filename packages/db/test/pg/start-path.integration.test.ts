/**
 * What `pnpm start` asks of the storage on PostgreSQL (README: Running on PostgreSQL), beyond the
 * models: `pnpm db:migrate`'s tenant runner and status, the admin console's schema status page,
 * the readiness probe's write, and the request path's cached lookups.
 */
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { rawRun } from "../../src/engine/raw.ts";
import type { HybridDatabaseManager } from "../../src/hybrid-manager.ts";
import { HybridMigrationManager } from "../../src/migrations/hybrid-migration-manager.ts";
import { schemaStatusPage } from "../../src/models/tenant-usage.ts";
import { tenantSchemaName } from "../../src/pg/names.ts";
import { probeSharedWrite } from "../../src/readiness.ts";
import { lookupTenant } from "../../src/request-path-cache.ts";
import { tenantModel } from "../../src/models/tenant.ts";
import { createTenants, useTempDataDir } from "../helpers.ts";

let manager: HybridDatabaseManager;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ manager, cleanup } = await useTempDataDir());
});
afterEach(async () => cleanup());

/** Drops the last applied tenant migration from the schema's history, as if the code had moved on. */
async function forgetLastMigration(tenantId: string): Promise<void> {
  const schema = tenantSchemaName(tenantId);
  await manager
    .sharedStore()
    .session("write", (s) =>
      rawRun(s, sql.raw(`DELETE FROM "${schema}"."__drizzle_migrations" WHERE created_at = (SELECT max(created_at) FROM "${schema}"."__drizzle_migrations")`)),
    );
}

describe("pnpm db:migrate's tenant runner", () => {
  test("a second run finds every tenant schema up to date, records the versions, and status reads them from the schemas", async () => {
    const [a, b] = await createTenants("alpha", "beta");
    if (!a || !b) throw new Error("tenants not created");
    const runner = new HybridMigrationManager(manager);
    const latest = manager.tenantMigrations().length;

    const report = await runner.runTenantMigrations();
    expect(report).toMatchObject({ total: 2, upToDate: 2, applied: 0, failed: 0, latestVersion: latest });
    expect((await runner.status()).map(({ slug, state, version }) => ({ slug, state, version }))).toEqual([
      { slug: "alpha", state: "up_to_date", version: latest },
      { slug: "beta", state: "up_to_date", version: latest },
    ]);
    const recorded = await runner.recordedStatus();
    expect(recorded.summary).toEqual({ up_to_date: 2, behind: 0, unknown: 0 });
  });

  test("status reads a schema behind the code from the schema itself, and the console's page counts recorded versions behind the code", async () => {
    const [a] = await createTenants("alpha", "beta");
    if (!a) throw new Error("tenant not created");
    const runner = new HybridMigrationManager(manager);
    const latest = manager.tenantMigrations().length;
    await forgetLastMigration(a.id);
    expect((await runner.status()).map(({ slug, state, version }) => ({ slug, state, version }))).toEqual([
      { slug: "alpha", state: "behind", version: latest - 1 },
      { slug: "beta", state: "up_to_date", version: latest },
    ]);

    // The console's page reads the versions the control plane recorded, grouped by state: with a
    // migration more in the code than the tenants have, both are behind.
    const page = await schemaStatusPage({}, manager.sharedStore(), latest + 1);
    expect(page.summary).toEqual({ up_to_date: 0, behind: 2, unknown: 0 });
    expect(page.tenants.map((row) => row.state)).toEqual(["behind", "behind"]);
    expect((await schemaStatusPage({ state: "behind" }, manager.sharedStore(), latest + 1)).total).toBe(2);
  });
});

test("the readiness probe writes the shared schema and leaves nothing changed", async () => {
  const generation = () =>
    manager.sharedStore().session("read", async (s) => (await s.db.select({ value: s.t.cacheGeneration.value }).from(s.t.cacheGeneration))[0]?.value);
  const before = await generation();
  await expect(probeSharedWrite(2_000, manager)).resolves.toBeUndefined();
  expect(await generation()).toBe(before);
});

test("the request path's cached tenant lookup sees a change committed after it was cached", async () => {
  const [a] = await createTenants("alpha");
  if (!a) throw new Error("tenant not created");
  expect((await lookupTenant("slug", "alpha"))?.status).toBe("active");
  expect((await lookupTenant("slug", "alpha"))?.status).toBe("active");
  await tenantModel.suspend(a.id);
  expect((await lookupTenant("slug", "alpha"))?.status).toBe("suspended");
  expect(await lookupTenant("slug", "missing")).toBeNull();
});
