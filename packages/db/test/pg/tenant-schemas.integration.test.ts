import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MigrationFailedError, ProvisioningError, TenantDatabaseMissingError, TenantSchemaOutdatedError } from "../../src/errors.ts";
import { tenantSchemaName } from "../../src/pg/names.ts";
import { assertTenantSchemaCurrent, pgTenantMigrations, readTenantSchemaVersion } from "../../src/pg/schema-migrations.ts";
import { deleteTenantSchema, provisionTenantSchema } from "../../src/pg/tenant-schemas.ts";
import { withSystemTransaction, withTenantTransaction, type PgTransaction } from "../../src/pg/transactions.ts";
import { createPgFixture, rootCause, type PgFixture } from "./fixture.ts";
import { catalogCounts, historyOf, schemaExists, systemPool, withMigration } from "./schema-fixture.ts";

let fixture: PgFixture;

beforeAll(async () => {
  fixture = await createPgFixture(0);
});
afterAll(async () => fixture.close());

const noRegistration = async () => undefined;

/** The fixture's shared table `sigil_shared.items` stands in for the registry. */
async function registerItem(tx: PgTransaction, tenantId: string): Promise<void> {
  await tx.execute(sql`INSERT INTO sigil_shared.items (tenant_id, id, body) VALUES (${tenantId}, 1, 'registered')`);
}

async function registeredItems(tenantId: string): Promise<number> {
  const { rows } = await fixture.admin.query<{ n: number }>("SELECT count(*)::int AS n FROM sigil_shared.items WHERE tenant_id = $1", [tenantId]);
  return rows[0]?.n ?? -1;
}

async function provision(tenantId: string, register: (tx: PgTransaction) => Promise<void> = noRegistration, migrations = pgTenantMigrations()) {
  return provisionTenantSchema(fixture.system, fixture.roles, tenantId, register, { migrations });
}

describe("provisionTenantSchema", () => {
  test("creates t_<32 hex> with every tenant migration, its own history, and the registry row, in one go", async () => {
    const tenantId = randomUUID();
    const schema = tenantSchemaName(tenantId);
    const migrations = pgTenantMigrations();

    const returned = await provisionTenantSchema(fixture.system, fixture.roles, tenantId, async (tx) => {
      await registerItem(tx, tenantId);
      return "registered";
    });

    expect(returned).toBe("registered");
    expect(await historyOf(fixture.admin, schema)).toEqual(migrations.map((migration) => migration.hash));
    expect(await withSystemTransaction(fixture.system, (tx) => readTenantSchemaVersion(tx, schema, migrations))).toBe(migrations.length);
    expect(await registeredItems(tenantId)).toBe(1);
    // The history is the schema's own: drizzle's default `drizzle` schema is never made.
    expect(await schemaExists(fixture.admin, "drizzle")).toBe(false);
    const { rows: owners } = await fixture.admin.query<{ owner: string }>("SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1", [
      schema,
    ]);
    expect(owners).toEqual([{ owner: fixture.roles.system }]);
  });

  test("the app role works in the new schema (its triggers count in it) and reads, but cannot write, the history", async () => {
    const tenantId = randomUUID();
    await provision(tenantId);
    const app = await fixture.appPool(1);

    const seen = await withTenantTransaction(app, { tenantId }, async (tx) => {
      await tx.execute(sql`INSERT INTO prompts (id, name, template) VALUES ('p1', 'First', 'Hello {{name}}')`);
      const stats = await tx.execute(sql`SELECT prompt_count FROM tenant_stats`);
      return { stats: stats.rows, version: await readTenantSchemaVersion(tx, tenantSchemaName(tenantId), pgTenantMigrations()) };
    });
    expect(seen).toEqual({ stats: [{ prompt_count: 1 }], version: pgTenantMigrations().length });

    for (const forge of [sql`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('forged', 9999999999999)`, sql`DELETE FROM __drizzle_migrations`]) {
      const refused = withTenantTransaction(app, { tenantId }, (tx) => tx.execute(forge));
      expect((await rootCause(refused)).message).toMatch(/permission denied for table __drizzle_migrations/);
    }
  });

  test("a failing migration leaves nothing behind: no schema, history, grant, default privilege or registry row", async () => {
    const tenantId = randomUUID();
    const schema = tenantSchemaName(tenantId);
    const before = await catalogCounts(fixture.admin);
    const broken = withMigration("9999_broken", ['CREATE TABLE "extra" (id integer)', "SELECT 1 / 0"]);

    const failure = provision(tenantId, (tx) => registerItem(tx, tenantId), broken);

    await expect(failure).rejects.toBeInstanceOf(MigrationFailedError);
    await expect(failure).rejects.toThrow(/Migration 9999_broken failed: division by zero/);
    expect(await schemaExists(fixture.admin, schema)).toBe(false);
    expect(await registeredItems(tenantId)).toBe(0);
    expect(await catalogCounts(fixture.admin)).toEqual(before);
    // Nothing half-made blocks a later provisioning of the same tenant.
    await provision(tenantId);
    expect(await schemaExists(fixture.admin, schema)).toBe(true);
  });

  test("a failing registration leaves no schema, and its own error comes through unchanged", async () => {
    const tenantId = randomUUID();
    const before = await catalogCounts(fixture.admin);
    class SlugTakenError extends Error {}

    const failure = provision(tenantId, async (tx) => {
      await registerItem(tx, tenantId);
      throw new SlugTakenError("slug taken");
    });

    await expect(failure).rejects.toBeInstanceOf(SlugTakenError);
    expect(await schemaExists(fixture.admin, tenantSchemaName(tenantId))).toBe(false);
    expect(await registeredItems(tenantId)).toBe(0);
    expect(await catalogCounts(fixture.admin)).toEqual(before);
  });

  test("provisioning an existing schema is refused with a clear error and changes nothing", async () => {
    const tenantId = randomUUID();
    await provision(tenantId, (tx) => registerItem(tx, tenantId));
    const before = await catalogCounts(fixture.admin);

    const again = provision(tenantId);

    await expect(again).rejects.toBeInstanceOf(ProvisioningError);
    await expect(again).rejects.toThrow(`The schema ${tenantSchemaName(tenantId)} of tenant ${tenantId} already exists`);
    expect(await catalogCounts(fixture.admin)).toEqual(before);
    expect(await registeredItems(tenantId)).toBe(1);
  });

  test("two provisioners of one tenant at once: one succeeds, the other is refused", async () => {
    const tenantId = randomUUID();
    const pools = [systemPool(fixture, 1), systemPool(fixture, 1)];
    try {
      const outcomes = await Promise.allSettled(pools.map((pool) => provisionTenantSchema(pool, fixture.roles, tenantId, (tx) => registerItem(tx, tenantId))));
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      const refused = outcomes.find((outcome) => outcome.status === "rejected");
      expect(refused?.status === "rejected" ? refused.reason : undefined).toBeInstanceOf(ProvisioningError);
      expect(await registeredItems(tenantId)).toBe(1);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test("only registry UUIDs become schemas", async () => {
    for (const tenantId of ["public", "sigil_shared", "x; DROP SCHEMA sigil_shared CASCADE"]) {
      await expect(provision(tenantId)).rejects.toThrow(/not a registry UUID/);
    }
  });
});

describe("assertTenantSchemaCurrent", () => {
  test("passes a current schema, and refuses one that is behind or missing, in the app role's transaction", async () => {
    const current = randomUUID();
    const behind = randomUUID();
    const missing = randomUUID();
    const migrations = pgTenantMigrations();
    await provision(current);
    await provision(behind, noRegistration, migrations.slice(0, 1));
    const app = await fixture.appPool(1);
    const check = (tenantId: string) => withTenantTransaction(app, { tenantId }, (tx) => assertTenantSchemaCurrent(tx, tenantId, migrations));

    await expect(check(current)).resolves.toBeUndefined();
    await expect(check(behind)).rejects.toBeInstanceOf(TenantSchemaOutdatedError);
    await expect(check(behind)).rejects.toThrow(`Tenant ${behind} is on schema version 1 of ${migrations.length}`);
    await expect(check(missing)).rejects.toBeInstanceOf(TenantDatabaseMissingError);
    await expect(check(missing)).rejects.toThrow(`The PostgreSQL schema of tenant ${missing} is missing.`);
  });
});

describe("deleteTenantSchema", () => {
  test("drops the schema with everything in it and the registry row, leaving the catalogs as before provisioning", async () => {
    const before = await catalogCounts(fixture.admin);
    const tenantId = randomUUID();
    await provision(tenantId, (tx) => registerItem(tx, tenantId));

    const deleted = await deleteTenantSchema(fixture.system, tenantId, {
      unregister: async (tx) => {
        await tx.execute(sql`DELETE FROM sigil_shared.items WHERE tenant_id = ${tenantId}`);
      },
    });

    expect(deleted).toEqual({ dropped: true });
    expect(await schemaExists(fixture.admin, tenantSchemaName(tenantId))).toBe(false);
    expect(await registeredItems(tenantId)).toBe(0);
    expect(await catalogCounts(fixture.admin)).toEqual(before);
    // The same tenant can be provisioned again at once.
    await provision(tenantId);
  });

  test("a failing unregister keeps the schema and the rows: all or nothing", async () => {
    const tenantId = randomUUID();
    await provision(tenantId, (tx) => registerItem(tx, tenantId));

    const failure = deleteTenantSchema(fixture.system, tenantId, {
      unregister: async (tx) => {
        await tx.execute(sql`DELETE FROM sigil_shared.items WHERE tenant_id = ${tenantId}`);
        throw new Error("registry unavailable");
      },
    });

    await expect(failure).rejects.toThrow("registry unavailable");
    expect(await schemaExists(fixture.admin, tenantSchemaName(tenantId))).toBe(true);
    expect(await registeredItems(tenantId)).toBe(1);
  });

  test("a missing schema is a no-op that says so, and unregister still runs (a retried deletion completes)", async () => {
    const tenantId = randomUUID();
    const before = await catalogCounts(fixture.admin);
    let unregistered = false;

    const deleted = await deleteTenantSchema(fixture.system, tenantId, {
      unregister: async () => {
        unregistered = true;
      },
    });

    expect(deleted).toEqual({ dropped: false });
    expect(unregistered).toBe(true);
    expect(await catalogCounts(fixture.admin)).toEqual(before);
  });

  test("waits for a tenant transaction that still uses the schema, which finishes undisturbed", async () => {
    const tenantId = randomUUID();
    await provision(tenantId);
    const app = await fixture.appPool(1);
    let releaseReader: () => void = () => undefined;
    const readerMayFinish = new Promise<void>((resolve) => (releaseReader = resolve));
    let readerStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (readerStarted = resolve));
    const reader = withTenantTransaction(app, { tenantId }, async (tx) => {
      const first = await tx.execute(sql`SELECT prompt_count FROM tenant_stats`);
      readerStarted();
      await readerMayFinish;
      const second = await tx.execute(sql`SELECT prompt_count FROM tenant_stats`);
      return [first.rows, second.rows];
    });
    await started;

    let dropped = false;
    const deletion = deleteTenantSchema(fixture.system, tenantId).then((result) => (dropped = result.dropped));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(dropped).toBe(false);
    releaseReader();

    expect(await reader).toEqual([[{ prompt_count: 0 }], [{ prompt_count: 0 }]]);
    await deletion;
    expect(dropped).toBe(true);
  });
});
