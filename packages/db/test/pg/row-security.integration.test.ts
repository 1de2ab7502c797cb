import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openAppPool } from "../../src/pg/pool.ts";
import { applyRoles, applyRowSecurity, assertInstallerCanCreateRoles } from "../../src/pg/row-security.ts";
import { withTenantTransaction, type PgTransaction } from "../../src/pg/transactions.ts";
import { createTestDatabase } from "../support/postgres-database.ts";
import { createPgFixture, PASSWORD, rootCause, tenantAt, type PgFixture } from "./fixture.ts";

let fixture: PgFixture;
let a: string;
let b: string;

beforeAll(async () => {
  fixture = await createPgFixture(2);
  a = tenantAt(fixture, 0);
  b = tenantAt(fixture, 1);
});
afterAll(async () => fixture.close());

async function asTenant<T>(tenantId: string, fn: (tx: PgTransaction) => Promise<T>): Promise<T> {
  return withTenantTransaction(await fixture.appPool(1), { tenantId }, fn);
}

async function count(tx: PgTransaction, tenantId: string): Promise<number> {
  const result = await tx.execute(sql`SELECT count(*)::int AS n FROM sigil_shared.items WHERE tenant_id = ${tenantId}`);
  return (result.rows[0] as { n: number } | undefined)?.n ?? -1;
}

/** The rows as the system role sees them: all of them. */
async function itemsOf(tenantId: string): Promise<{ id: number; body: string }[]> {
  const { rows } = await fixture.system.query<{ id: number; body: string }>("SELECT id, body FROM sigil_shared.items WHERE tenant_id = $1 ORDER BY id", [
    tenantId,
  ]);
  return rows;
}

async function failureOf(promise: Promise<unknown>): Promise<string> {
  return (await rootCause(promise)).message;
}

describe("the app role with sigil.tenant_id = A cannot reach B's rows", () => {
  test("select sees none of B's rows, only A's", async () => {
    const seen = await asTenant(a, async (tx) => ({ own: await count(tx, a), other: await count(tx, b) }));
    expect(seen).toEqual({ own: 2, other: 0 });
  });

  test("update and delete of B's rows touch nothing", async () => {
    const changed = await asTenant(a, async (tx) => {
      const updated = await tx.execute(sql`UPDATE sigil_shared.items SET body = 'taken' WHERE tenant_id = ${b}`);
      const deleted = await tx.execute(sql`DELETE FROM sigil_shared.items WHERE tenant_id = ${b}`);
      return { updated: updated.rowCount, deleted: deleted.rowCount };
    });

    expect(changed).toEqual({ updated: 0, deleted: 0 });
    expect(await itemsOf(b)).toEqual([
      { id: 1, body: "first" },
      { id: 2, body: "second" },
    ]);
  });

  test("inserting a row with B's tenant_id is refused", async () => {
    const insert = asTenant(a, (tx) => tx.execute(sql`INSERT INTO sigil_shared.items (tenant_id, id, body) VALUES (${b}, 3, 'planted')`));
    expect(await failureOf(insert)).toMatch(/new row violates row-level security policy/);
    expect(await itemsOf(b)).toHaveLength(2);
  });

  test("moving one of A's rows to B is refused", async () => {
    const move = asTenant(a, (tx) => tx.execute(sql`UPDATE sigil_shared.items SET tenant_id = ${b} WHERE tenant_id = ${a} AND id = 1`));
    expect(await failureOf(move)).toMatch(/new row violates row-level security policy/);
    expect(await itemsOf(a)).toHaveLength(2);
  });

  test("a unique violation with B's key is not possible to provoke: the insert is refused by the policy first", async () => {
    const insert = asTenant(a, (tx) => tx.execute(sql`INSERT INTO sigil_shared.items (tenant_id, id, body) VALUES (${b}, 1, 'probe')`));
    expect(await failureOf(insert)).toMatch(/row-level security/);
  });

  test("A's own rows are writable", async () => {
    await asTenant(a, (tx) => tx.execute(sql`INSERT INTO sigil_shared.items (tenant_id, id, body) VALUES (${a}, 3, 'third')`));
    expect((await itemsOf(a)).map((row) => row.id)).toEqual([1, 2, 3]);
  });
});

describe("with no tenant set nothing is visible", () => {
  test("a fresh connection of the app role sees no rows and can write none", async () => {
    const pool = await fixture.appPool(1);
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM sigil_shared.items");
    expect(rows[0]?.n).toBe(0);
    await expect(pool.query("INSERT INTO sigil_shared.items (tenant_id, id, body) VALUES ($1, 9, 'x')", [a])).rejects.toThrow(/row-level security/);
  });

  test("after a tenant transaction the setting reads '' and still matches no row, not even one with tenant_id ''", async () => {
    await fixture.system.query("INSERT INTO sigil_shared.items (tenant_id, id, body) VALUES ('', 1, 'no tenant')");
    const pool = await fixture.appPool(1);
    await withTenantTransaction(pool, { tenantId: a }, (tx) => count(tx, a));

    const { rows } = await pool.query<{ n: number; tenant: string | null }>(
      "SELECT count(*)::int AS n, current_setting('sigil.tenant_id', true) AS tenant FROM sigil_shared.items",
    );
    expect(rows[0]).toEqual({ n: 0, tenant: "" });
    await fixture.system.query("DELETE FROM sigil_shared.items WHERE tenant_id = ''");
  });
});

describe("the app role cannot step around the policies", () => {
  test.each([
    ["SET ROLE to the system role", () => `SET ROLE "${fixture.roles.system}"`, /permission denied to set role/],
    ["disable row-level security", () => "ALTER TABLE sigil_shared.items DISABLE ROW LEVEL SECURITY", /must be owner of table items/],
    ["drop the policy", () => "DROP POLICY sigil_tenant_rows ON sigil_shared.items", /must be owner of (table|relation) items/],
    ["turn row_security off", () => "SET row_security = off; SELECT * FROM sigil_shared.items", /query would be affected by row-level security policy/],
    [
      "grant itself the system role",
      () => `GRANT "${fixture.roles.system}" TO "${fixture.roles.app}"`,
      /permission denied to grant role|must have admin option/,
    ],
  ])("%s: refused", async (_name, statement, refusal) => {
    const pool = await fixture.appPool(1);
    const client = await pool.connect();
    try {
      await expect(client.query(statement())).rejects.toThrow(refusal);
    } finally {
      client.release(true);
    }
  });

  test("an app pool refuses a role that would bypass row-level security", async () => {
    await expect(openAppPool({ url: fixture.database.url(), maxConnections: 1, applicationName: "sigil-test" })).rejects.toThrow(
      /is a superuser and would skip row-level security/,
    );
  });

  test("the system role sees every tenant's rows", async () => {
    const { rows } = await fixture.system.query<{ tenant_id: string }>("SELECT DISTINCT tenant_id FROM sigil_shared.items ORDER BY tenant_id");
    expect(rows.map((row) => row.tenant_id)).toEqual([a, b].sort());
  });
});

describe("applying the roles and policies", () => {
  test("is idempotent and repairs a policy changed by hand", async () => {
    await fixture.admin.query("ALTER POLICY sigil_tenant_rows ON sigil_shared.items USING (true)");
    await applyRoles(fixture.admin, fixture.roles);
    await applyRowSecurity(fixture.admin, fixture.roles, ["items"]);
    await applyRowSecurity(fixture.admin, fixture.roles, ["items"]);

    expect(await asTenant(a, (tx) => count(tx, b))).toBe(0);
    const { rows } = await fixture.admin.query<{ policyname: string }>("SELECT policyname FROM pg_policies WHERE tablename = 'items' ORDER BY policyname");
    expect(rows.map((row) => row.policyname)).toEqual(["sigil_system_rows", "sigil_tenant_rows"]);
    const flags = await fixture.admin.query("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'sigil_shared.items'::regclass");
    expect(flags.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });

  test("refuses an app role that is a member of the system role", async () => {
    await fixture.admin.query(`GRANT "${fixture.roles.system}" TO "${fixture.roles.app}"`);
    try {
      await expect(applyRoles(fixture.admin, fixture.roles)).rejects.toThrow(/is a member of the system role .* could SET ROLE to it/);
    } finally {
      await fixture.admin.query(`REVOKE "${fixture.roles.system}" FROM "${fixture.roles.app}"`);
    }
  });

  test("refuses an existing role with BYPASSRLS", async () => {
    await fixture.admin.query(`ALTER ROLE "${fixture.roles.app}" BYPASSRLS`);
    try {
      await expect(applyRoles(fixture.admin, fixture.roles)).rejects.toThrow(/must be NOSUPERUSER NOBYPASSRLS/);
    } finally {
      await fixture.admin.query(`ALTER ROLE "${fixture.roles.app}" NOBYPASSRLS`);
    }
  });

  test("refuses names that are not plain identifiers before sending anything", async () => {
    const unsafe = { app: 'app"; DROP ROLE postgres; --', system: fixture.roles.system };
    await expect(applyRoles(fixture.admin, unsafe)).rejects.toThrow(/is not a valid role/);
    await expect(applyRowSecurity(fixture.admin, fixture.roles, ["items; DROP TABLE x"])).rejects.toThrow(/is not a valid table/);
  });

  test("a new login as the app role is the role applyRoles made: LOGIN, no superuser, no BYPASSRLS", async () => {
    const client = new pg.Client({ connectionString: fixture.database.url(fixture.roles.app, PASSWORD) });
    await client.connect();
    try {
      const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
        "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = current_user",
      );
      expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: true });
    } finally {
      await client.end();
    }
  });
});

describe("the installer (the DATABASE_URL role) must be able to create roles", () => {
  async function asRole(attributes: string, fn: (client: pg.Client) => Promise<void>): Promise<void> {
    const role = fixture.database.roleName(`installer_${attributes.toLowerCase()}`);
    await fixture.admin.query(`CREATE ROLE "${role}" LOGIN ${attributes} PASSWORD '${PASSWORD}'`);
    const client = new pg.Client({ connectionString: fixture.database.url(role, PASSWORD) });
    await client.connect();
    try {
      await fn(client);
    } finally {
      await client.end();
    }
  }

  test("a role without SUPERUSER or CREATEROLE is refused with a sentence naming DATABASE_URL and the remedy", async () => {
    await asRole("NOCREATEROLE", async (client) => {
      await expect(assertInstallerCanCreateRoles(client)).rejects.toThrow(
        /DATABASE_URL role "installer_nocreaterole_\w+" may not create roles.*superuser or have CREATEROLE/,
      );
    });
  });

  test("a role with CREATEROLE, and a superuser, may install", async () => {
    await asRole("CREATEROLE", (client) => assertInstallerCanCreateRoles(client));
    await assertInstallerCanCreateRoles(fixture.admin);
  });

  test("a role with CREATEROLE that owns its database creates the roles and the shared schema, owned by the system role", async () => {
    const database = await createTestDatabase();
    const installer = database.roleName("installer");
    const roles = { app: database.roleName("app"), system: database.roleName("system") };
    try {
      const admin = await database.admin();
      await admin.query(`CREATE ROLE "${installer}" LOGIN CREATEROLE PASSWORD '${PASSWORD}'`);
      await admin.query(`ALTER DATABASE "${database.name}" OWNER TO "${installer}"`);
      const client = new pg.Client({ connectionString: database.url(installer, PASSWORD) });
      await client.connect();
      try {
        await applyRoles(client, roles);
        const { rows } = await client.query<{ owner: string }>("SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'sigil_shared'");
        expect(rows).toEqual([{ owner: roles.system }]);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
