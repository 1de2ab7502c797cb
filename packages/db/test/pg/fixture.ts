import { randomUUID } from "node:crypto";
import type pg from "pg";
import { SHARED_SCHEMA, tenantSchemaName } from "../../src/pg/names.ts";
import { openAppPool, openSystemPool, type AppPool, type SystemPool } from "../../src/pg/pool.ts";
import { applyRoles, applyRowSecurity, grantTenantSchema, type PgRoles } from "../../src/pg/row-security.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.ts";

/**
 * Tables of the same shape as Sigil's (issue 13): `sigil_shared.items` is a shared table with
 * `tenant_id` under row-level security, and each tenant schema has a `notes` table whose one row
 * names its tenant. The real schemas come with the pg-core migrations; these test the mechanics.
 */
export interface PgFixture {
  readonly database: TestDatabase;
  readonly admin: pg.Client;
  readonly roles: PgRoles;
  readonly tenants: readonly string[];
  readonly system: SystemPool;
  appPool(maxConnections: number): Promise<AppPool>;
  close(): Promise<void>;
}

export const PASSWORD = "sigil-test";

export async function createPgFixture(tenantCount: number): Promise<PgFixture> {
  const database = await createTestDatabase();
  const admin = await database.admin();
  const roles: PgRoles = { app: database.roleName("app"), system: database.roleName("system") };
  await applyRoles(admin, roles);
  for (const role of [roles.app, roles.system]) await admin.query(`ALTER ROLE "${role}" PASSWORD '${PASSWORD}'`);

  const system = openSystemPool({ url: database.url(roles.system, PASSWORD), maxConnections: 2, applicationName: "sigil-test-system" });
  const tenants = Array.from({ length: tenantCount }, () => randomUUID());
  await system.query(`CREATE TABLE ${SHARED_SCHEMA}.items (tenant_id text NOT NULL, id integer NOT NULL, body text NOT NULL)`);
  await system.query(`CREATE UNIQUE INDEX items_tenant_id_id ON ${SHARED_SCHEMA}.items (tenant_id, id)`);
  await applyRowSecurity(admin, roles, ["items"]);
  for (const tenantId of tenants) {
    const schema = tenantSchemaName(tenantId);
    await system.query(`CREATE SCHEMA ${schema}`);
    await system.query(`CREATE TABLE ${schema}.notes (id serial PRIMARY KEY, owner text NOT NULL)`);
    await system.query(`INSERT INTO ${schema}.notes (owner) VALUES ($1)`, [tenantId]);
    await system.query(`INSERT INTO ${SHARED_SCHEMA}.items (tenant_id, id, body) VALUES ($1, 1, 'first'), ($1, 2, 'second')`, [tenantId]);
    await grantTenantSchema(admin, roles, schema);
  }

  const appPools: AppPool[] = [];
  return {
    database,
    admin,
    roles,
    tenants,
    system,
    async appPool(maxConnections) {
      const pool = await openAppPool({ url: database.url(roles.app, PASSWORD), maxConnections, applicationName: "sigil-test-app" });
      appPools.push(pool);
      return pool;
    },
    async close() {
      await Promise.all([...appPools.map((pool) => pool.end()), system.end()]);
      await database.drop();
    },
  };
}

/** The fixture's tenant at `index`, or a clear failure if it has fewer. */
export function tenantAt(fixture: PgFixture, index: number): string {
  const tenantId = fixture.tenants[index];
  if (tenantId === undefined) throw new Error(`The fixture has ${fixture.tenants.length} tenants; the test needs tenant ${index}.`);
  return tenantId;
}

/** Drizzle wraps driver errors in "Failed query: …"; the driver's (or the guard's) error is the cause. */
export async function rootCause(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => new Error("expected the promise to reject"),
    (reason: unknown) => reason,
  );
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (!(current instanceof Error)) throw new Error(`The promise rejected with a non-error: ${String(current)}`);
  return current;
}
