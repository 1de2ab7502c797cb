import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import type pg from "pg";
import { loadMigrations } from "../src/migrations/migration-files.ts";
import { SHARED_SCHEMA, quoteName, tenantSchemaName } from "../src/pg/names.ts";
import { openAppPool, type AppPool } from "../src/pg/pool.ts";
import { applyRoles, applyRowSecurity, grantTenantSchema, type PgRoles } from "../src/pg/row-security.ts";
import { withTenantTransaction, type PgTransaction } from "../src/pg/transactions.ts";
import { apiKeys, sessions, settings, users } from "../src/schema/pg/shared/index.ts";
import { withClient } from "../test/support/pg-client.ts";

/**
 * The cost of row-level security (issue 13, benchmarks): two databases on one server, built the
 * same way (the committed pg shared migrations, the roles and policies of src/pg/row-security.ts,
 * one empty schema per tenant, the same rows), except that in the second one row-level security is
 * switched off again on the measured tables. The same reads and writes then run as the app role
 * through withTenantTransaction on each; only the policies differ.
 */
const PG_SHARED_MIGRATIONS = fileURLToPath(new URL("../migrations/pg/shared", import.meta.url));

/** The shared tables the measured statements read or write; each gets the policies of applyRowSecurity. */
const MEASURED_TABLES = ["users", "sessions", "api_keys", "settings"] as const;

export const ROW_SECURITY_OPERATIONS = ["user by email", "session lookup", "API key lookup", "settings upsert"] as const;
export type RowSecurityOperation = (typeof ROW_SECURITY_OPERATIONS)[number];

export interface RowSecuritySize {
  readonly tenants: number;
  /** Each user has one session and one API key. */
  readonly usersPerTenant: number;
  /** Connections of each database's app pool: the most transactions in flight at once. */
  readonly connections: number;
}

export interface RowSecurityVariant {
  readonly policies: boolean;
  /**
   * Runs one operation in its own tenant transaction. `sample` picks the tenant and the user
   * (any non-negative integer; the same sample is the same rows on both variants). Throws when
   * the rows read are not the ones seeded, so a broken setup cannot be timed as a fast one.
   */
  run(operation: RowSecurityOperation, sample: number): Promise<void>;
}

export interface RowSecurityBench {
  readonly withPolicies: RowSecurityVariant;
  readonly withoutPolicies: RowSecurityVariant;
  close(): Promise<void>;
}

/**
 * Creates both databases, and an app and a system role named for this run, on the server of
 * `superuserUrl`, and checks that they differ where they should: with policies a tenant's
 * transaction sees no row of another tenant even when it asks for it by tenant_id, without them it
 * does. `close()` drops the databases and the roles.
 */
export async function prepareRowSecurityBench(superuserUrl: string, size: RowSecuritySize): Promise<RowSecurityBench> {
  if (!Number.isInteger(size.tenants) || size.tenants < 2) throw new Error(`The row-security bench needs at least 2 tenants (got ${size.tenants}).`);
  if (!Number.isInteger(size.usersPerTenant) || size.usersPerTenant < 1)
    throw new Error(`usersPerTenant must be a whole number ≥ 1 (got ${size.usersPerTenant}).`);
  const tenantIds = Array.from({ length: size.tenants }, () => randomUUID());
  const suffix = randomUUID().replaceAll("-", "").slice(0, 12);
  // Roles belong to the whole server, which test runs share (test/support/postgres-global-setup.ts).
  const roles: PgRoles = { app: `sigil_bench_app_${suffix}`, system: `sigil_bench_system_${suffix}` };
  const databases: string[] = [];
  const pools: AppPool[] = [];
  const close = async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await withClient(superuserUrl, async (client) => {
      for (const database of databases) await client.query(`DROP DATABASE IF EXISTS ${quoteName("database", database)} WITH (FORCE)`);
      for (const role of [roles.app, roles.system]) await client.query(`DROP ROLE IF EXISTS ${quoteName("role", role)}`);
    });
  };
  try {
    const variant = async (policies: boolean): Promise<RowSecurityVariant> => {
      const database = `sigil_rls_${policies ? "on" : "off"}_${suffix}`;
      databases.push(database);
      const pool = await createDatabase(superuserUrl, database, roles, policies, tenantIds, size);
      pools.push(pool);
      const built = variantOn(pool, policies, tenantIds, size.usersPerTenant);
      await assertPoliciesAct(pool, policies, tenantIds, size.usersPerTenant);
      return built;
    };
    const withPolicies = await variant(true);
    const withoutPolicies = await variant(false);
    return { withPolicies, withoutPolicies, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createDatabase(
  superuserUrl: string,
  database: string,
  roles: PgRoles,
  policies: boolean,
  tenantIds: readonly string[],
  size: RowSecuritySize,
): Promise<AppPool> {
  await withClient(superuserUrl, (client) => client.query(`CREATE DATABASE ${quoteName("database", database)} TEMPLATE template0`));
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  await withClient(url.toString(), async (admin) => {
    for (const migration of loadMigrations(PG_SHARED_MIGRATIONS)) for (const statement of migration.statements) await admin.query(statement);
    await applyRoles(admin, roles);
    await seed(admin, tenantIds, size.usersPerTenant);
    for (const tenantId of tenantIds) {
      const schema = tenantSchemaName(tenantId);
      await admin.query(`CREATE SCHEMA ${quoteName("schema", schema)} AUTHORIZATION ${quoteName("role", roles.system)}`);
      await grantTenantSchema(admin, roles, schema);
    }
    await applyRowSecurity(admin, roles, MEASURED_TABLES);
    // The baseline: everything above, then the policies switched off again, so the grants, indexes
    // and rows are those of the measured database and only the row-security check is missing.
    if (!policies) {
      for (const table of MEASURED_TABLES) {
        await admin.query(
          `ALTER TABLE ${quoteName("schema", SHARED_SCHEMA)}.${quoteName("table", table)} NO FORCE ROW LEVEL SECURITY, DISABLE ROW LEVEL SECURITY`,
        );
      }
    }
    await admin.query("ANALYZE");
  });
  // The server trusts local connections (test/support/postgres-server.ts), so no password.
  url.username = roles.app;
  return openAppPool({ url: url.toString(), maxConnections: size.connections, applicationName: `sigil-bench-rls-${policies ? "on" : "off"}` });
}

/** Tenant n (1-based) has users 1…usersPerTenant, each with one session and one API key. */
async function seed(admin: pg.Client, tenantIds: readonly string[], usersPerTenant: number): Promise<void> {
  const shared = quoteName("schema", SHARED_SCHEMA);
  const tenants = `unnest($1::text[]) WITH ORDINALITY AS t(id, n)`;
  await admin.query(
    `INSERT INTO ${shared}.tenants (id, name, slug, limit_users, limit_storage_mb, limit_executions_per_month)
     SELECT id, 'Bench ' || n, 'bench-' || n, 100, 1000, 10000 FROM ${tenants}`,
    [tenantIds],
  );
  const eachUser = `FROM ${tenants}, generate_series(1, $2::int) AS u`;
  await admin.query(
    `INSERT INTO ${shared}.users (id, tenant_id, email, name, role, status)
     SELECT 'user-' || n || '-' || u, id, 'user' || u || '@bench-' || n || '.test', 'User ' || u, 'user', 'active' ${eachUser}`,
    [tenantIds, usersPerTenant],
  );
  await admin.query(
    `INSERT INTO ${shared}.sessions (id, tenant_id, user_id, token_hash, expires_at)
     SELECT 'session-' || n || '-' || u, id, 'user-' || n || '-' || u, 'token-' || n || '-' || u, now() + interval '30 days' ${eachUser}`,
    [tenantIds, usersPerTenant],
  );
  await admin.query(
    `INSERT INTO ${shared}.api_keys (id, tenant_id, user_id, name, key_id, secret_hash, scopes)
     SELECT 'key-' || n || '-' || u, id, 'user-' || n || '-' || u, 'Bench key', 'kid-' || n || '-' || u, 'hash-' || n || '-' || u, '["prompts:read"]'::jsonb ${eachUser}`,
    [tenantIds, usersPerTenant],
  );
  await admin.query(
    `INSERT INTO ${shared}.settings (id, tenant_id, type, identifier, payload)
     SELECT 'setting-' || n || '-' || u, id, 'provider', 'bench-' || u, '{"model":"bench"}'::jsonb ${eachUser}`,
    [tenantIds, usersPerTenant],
  );
}

function variantOn(pool: AppPool, policies: boolean, tenantIds: readonly string[], usersPerTenant: number): RowSecurityVariant {
  return {
    policies,
    async run(operation, sample) {
      const tenantIndex = sample % tenantIds.length;
      const tenantId = tenantIds[tenantIndex];
      if (tenantId === undefined) throw new Error(`No tenant at index ${tenantIndex}.`);
      const picked: Picked = { tenantId, n: tenantIndex + 1, u: (Math.floor(sample / tenantIds.length) % usersPerTenant) + 1 };
      await withTenantTransaction(pool, { tenantId }, (tx) => OPERATIONS[operation](tx, picked));
    },
  };
}

interface Picked {
  tenantId: string;
  /** The tenant's and the user's 1-based numbers in the seeded names. */
  n: number;
  u: number;
}

/**
 * The statements the models run for these operations: findOne by email with the tenant condition
 * (src/models/user.ts), the authentication lookups by token hash and key id with their user
 * (src/models/authentication-lookups.ts: no tenant condition there, the policy adds one), and a
 * settings upsert as one INSERT … ON CONFLICT, PostgreSQL's atomic form of src/models/settings.ts.
 */
const OPERATIONS: Record<RowSecurityOperation, (tx: PgTransaction, picked: Picked) => Promise<void>> = {
  "user by email": async (tx, { tenantId, n, u }) => {
    const rows = await tx
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, `user${u}@bench-${n}.test`)))
      .limit(1);
    expectOne("user by email", rows, (row) => `${row.tenantId} ${row.id}`, `${tenantId} user-${n}-${u}`);
  },
  "session lookup": async (tx, { tenantId, n, u }) => {
    const rows = await tx
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, `token-${n}-${u}`));
    expectOne("session lookup", rows, (row) => `${row.session.tenantId} ${row.session.id} ${row.user.id}`, `${tenantId} session-${n}-${u} user-${n}-${u}`);
  },
  "API key lookup": async (tx, { tenantId, n, u }) => {
    const rows = await tx
      .select({ apiKey: apiKeys, user: users })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.keyId, `kid-${n}-${u}`));
    expectOne("API key lookup", rows, (row) => `${row.apiKey.tenantId} ${row.apiKey.id} ${row.user.id}`, `${tenantId} key-${n}-${u} user-${n}-${u}`);
  },
  "settings upsert": async (tx, { tenantId, n, u }) => {
    const payload = { model: "bench", temperature: Math.random() };
    const rows = await tx
      .insert(settings)
      .values({ id: randomUUID(), tenantId, type: "provider", identifier: `bench-${u}`, payload })
      .onConflictDoUpdate({ target: [settings.tenantId, settings.type, settings.identifier], set: { payload, updatedAt: new Date() } })
      .returning({ id: settings.id, tenantId: settings.tenantId });
    // The seeded row is updated, not a second one inserted beside it.
    expectOne("settings upsert", rows, (row) => `${row.tenantId} ${row.id}`, `${tenantId} setting-${n}-${u}`);
  },
};

function expectOne<T>(operation: string, rows: readonly T[], describe: (row: T) => string, expected: string): void {
  const [row] = rows;
  const found = row === undefined ? "nothing" : describe(row);
  if (rows.length !== 1 || found !== expected) {
    throw new Error(`The row-security bench's ${operation} found ${rows.length} row(s) (${found}) instead of the seeded one (${expected}).`);
  }
}

/** A transaction of the first tenant asks for the second tenant's users by tenant_id. */
async function assertPoliciesAct(pool: AppPool, policies: boolean, tenantIds: readonly string[], usersPerTenant: number): Promise<void> {
  const [first, second] = tenantIds;
  if (first === undefined || second === undefined) throw new Error("The row-security bench needs two tenants.");
  const seen = await withTenantTransaction(pool, { tenantId: first }, async (tx) => (await tx.select().from(users).where(eq(users.tenantId, second))).length);
  const expected = policies ? 0 : usersPerTenant;
  if (seen !== expected) {
    throw new Error(
      `The database ${policies ? "with" : "without"} row-level security showed ${seen} of another tenant's ${usersPerTenant} users to a tenant transaction; expected ${expected}. The bench would not measure what it says.`,
    );
  }
}
