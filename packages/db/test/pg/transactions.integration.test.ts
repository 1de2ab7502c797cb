import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { InvalidTenantIdentifierError } from "../../src/errors.ts";
import { tenantSchemaName } from "../../src/pg/names.ts";
import type { AppPool } from "../../src/pg/pool.ts";
import { TransactionEndedError, withSystemTransaction, withTenantTransaction, type PgTransaction } from "../../src/pg/transactions.ts";
import { createPgFixture, rootCause, tenantAt, type PgFixture } from "./fixture.ts";

/** What a connection carries between transactions: the two settings a tenant transaction sets. */
interface ConnectionState {
  pid: number;
  searchPath: string;
  tenant: string | null;
}

const STATE = "SELECT pg_backend_pid() AS pid, current_setting('search_path') AS \"searchPath\", current_setting('sigil.tenant_id', true) AS tenant";

async function stateOf(pool: AppPool): Promise<ConnectionState> {
  const { rows } = await pool.query<ConnectionState>(STATE);
  const state = rows[0];
  if (!state) throw new Error("The connection state could not be read.");
  return state;
}

async function rowsOf<T>(tx: PgTransaction, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await tx.execute(query);
  return result.rows as T[];
}

/** Which tenant the transaction sees: its setting, its schema's note and its shared rows. */
async function visibleTenant(tx: PgTransaction): Promise<{ setting: string; note: string[]; items: string[] }> {
  const [setting] = await rowsOf<{ tenant: string }>(tx, sql`SELECT current_setting('sigil.tenant_id', true) AS tenant`);
  const notes = await rowsOf<{ owner: string }>(tx, sql`SELECT owner FROM notes`);
  const items = await rowsOf<{ tenant_id: string }>(tx, sql`SELECT DISTINCT tenant_id FROM sigil_shared.items`);
  return { setting: setting?.tenant ?? "", note: notes.map((row) => row.owner), items: items.map((row) => row.tenant_id) };
}

let fixture: PgFixture;
let a: string;
let b: string;

beforeAll(async () => {
  fixture = await createPgFixture(10);
  a = tenantAt(fixture, 0);
  b = tenantAt(fixture, 1);
});
afterAll(async () => fixture.close());

describe("SET LOCAL never outlives the transaction on a pooled connection", () => {
  test("after a tenant transaction the same connection has its own search_path and no tenant again", async () => {
    const pool = await fixture.appPool(1);
    const before = await stateOf(pool);
    const inside = await withTenantTransaction(pool, { tenantId: a }, (tx) => visibleTenant(tx));
    const after = await stateOf(pool);

    expect(inside).toEqual({ setting: a, note: [a], items: [a] });
    expect(after.pid).toBe(before.pid);
    expect(after.searchPath).toBe(before.searchPath);
    expect(after.tenant ?? "").toBe("");
  });

  test("a transaction for A, then one for B on the same connection: B sees only B", async () => {
    const pool = await fixture.appPool(1);
    const first = await withTenantTransaction(pool, { tenantId: a }, async (tx) => ({ pid: await backendPid(tx), seen: await visibleTenant(tx) }));
    const second = await withTenantTransaction(pool, { tenantId: b }, async (tx) => ({ pid: await backendPid(tx), seen: await visibleTenant(tx) }));

    expect(second.pid).toBe(first.pid);
    expect(first.seen).toEqual({ setting: a, note: [a], items: [a] });
    expect(second.seen).toEqual({ setting: b, note: [b], items: [b] });
  });

  test("a transaction that throws rolls back its writes and leaves no setting behind", async () => {
    const pool = await fixture.appPool(1);
    const before = await stateOf(pool);
    const failing = withTenantTransaction(pool, { tenantId: a }, async (tx) => {
      await tx.execute(sql`INSERT INTO notes (owner) VALUES ('written before the failure')`);
      throw new Error("the callback failed");
    });

    await expect(failing).rejects.toThrow("the callback failed");
    const after = await stateOf(pool);
    expect(after.pid).toBe(before.pid);
    expect(after.searchPath).toBe(before.searchPath);
    expect(after.tenant ?? "").toBe("");
    const notes = await withTenantTransaction(pool, { tenantId: a }, (tx) => rowsOf<{ owner: string }>(tx, sql`SELECT owner FROM notes`));
    expect(notes.map((row) => row.owner)).toEqual([a]);
  });

  test("a statement error inside the transaction also leaves the connection clean and usable", async () => {
    const pool = await fixture.appPool(1);
    const failing = withTenantTransaction(pool, { tenantId: a }, (tx) => tx.execute(sql`SELECT no_such_column FROM notes`));

    expect((await rootCause(failing)).message).toMatch(/column "no_such_column" does not exist/);
    expect((await stateOf(pool)).tenant ?? "").toBe("");
    expect(await withTenantTransaction(pool, { tenantId: b }, (tx) => visibleTenant(tx))).toEqual({ setting: b, note: [b], items: [b] });
  });

  test("a nested transaction is a savepoint: its rollback keeps the outer transaction and its tenant", async () => {
    const pool = await fixture.appPool(1);
    const seen = await withTenantTransaction(pool, { tenantId: a }, async (tx) => {
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO notes (owner) VALUES ('rolled back')`);
          throw new Error("inner failure");
        })
        .catch(() => undefined);
      return visibleTenant(tx);
    });

    expect(seen).toEqual({ setting: a, note: [a], items: [a] });
  });

  test("a connection that dies inside a transaction is not lent out again", async () => {
    const pool = await fixture.appPool(1);
    const before = await stateOf(pool);
    const dying = withTenantTransaction(pool, { tenantId: a }, (tx) => tx.execute(sql`SELECT pg_terminate_backend(pg_backend_pid())`));

    await expect(dying).rejects.toThrow();
    const after = await withTenantTransaction(pool, { tenantId: b }, async (tx) => ({ pid: await backendPid(tx), seen: await visibleTenant(tx) }));
    expect(after.pid).not.toBe(before.pid);
    expect(after.seen).toEqual({ setting: b, note: [b], items: [b] });
  });

  test("work left running after the callback cannot use the connection, which may serve another tenant by then", async () => {
    const pool = await fixture.appPool(1);
    let leaked: PgTransaction | undefined;
    await withTenantTransaction(pool, { tenantId: a }, async (tx) => {
      leaked = tx;
    });
    if (!leaked) throw new Error("The callback did not run.");
    const late = leaked;

    const inB = withTenantTransaction(pool, { tenantId: b }, async () => late.execute(sql`SELECT owner FROM notes`));
    expect(await rootCause(inB)).toBeInstanceOf(TransactionEndedError);
  });
});

describe("search_path isolation", () => {
  test("tenant A's transaction cannot name B's tables unqualified", async () => {
    const pool = await fixture.appPool(1);
    const schemaB = tenantSchemaName(b);
    await fixture.system.query(`CREATE TABLE ${schemaB}.only_in_b (id integer)`);

    const seen = withTenantTransaction(pool, { tenantId: a }, (tx) => tx.execute(sql`SELECT * FROM only_in_b`));
    expect((await rootCause(seen)).message).toMatch(/relation "only_in_b" does not exist/);
    const inB = await withTenantTransaction(pool, { tenantId: b }, (tx) => rowsOf(tx, sql`SELECT * FROM only_in_b`));
    expect(inB).toEqual([]);
  });

  test("outside a tenant transaction no unqualified table resolves, not even one in public", async () => {
    await fixture.admin.query(`CREATE TABLE public.notes (owner text); GRANT SELECT ON public.notes TO "${fixture.roles.app}"`);
    try {
      const pool = await fixture.appPool(1);
      await expect(pool.query("SELECT * FROM notes")).rejects.toThrow(/relation "notes" does not exist/);
    } finally {
      await fixture.admin.query("DROP TABLE public.notes");
    }
  });

  test("only registry UUIDs become a schema: anything else is refused, and no connection stays checked out", async () => {
    const pool = await fixture.appPool(1);
    for (const tenantId of ["public", `${a}; DROP SCHEMA public`, a.toUpperCase(), "", "t_0123"]) {
      await expect(withTenantTransaction(pool, { tenantId }, (tx) => visibleTenant(tx))).rejects.toBeInstanceOf(InvalidTenantIdentifierError);
    }
    expect(pool.totalCount).toBe(1);
    expect(pool.idleCount).toBe(1);
  });
});

describe("concurrency", () => {
  test("50 parallel tenant transactions on a pool of 5 each see only their own tenant", async () => {
    const pool = await fixture.appPool(5);
    const runs = Array.from({ length: 50 }, (_, index) => tenantAt(fixture, index % fixture.tenants.length));

    const seen = await Promise.all(
      runs.map((tenantId) =>
        withTenantTransaction(pool, { tenantId }, async (tx) => {
          const first = await visibleTenant(tx);
          // Hold the connection while the others queue and run, so connections change hands mid-run.
          await tx.execute(sql`SELECT pg_sleep(0.01)`);
          const second = await visibleTenant(tx);
          return { tenantId, first, second };
        }),
      ),
    );

    for (const { tenantId, first, second } of seen) {
      expect(first).toEqual({ setting: tenantId, note: [tenantId], items: [tenantId] });
      expect(second).toEqual(first);
    }
    expect(pool.totalCount).toBeLessThanOrEqual(5);
  });
});

describe("system transactions", () => {
  test("run on the shared schema as the system role, with no tenant, and see every tenant's rows", async () => {
    const seen = await withSystemTransaction(fixture.system, async (tx) => {
      const [who] = await rowsOf<{ role: string; tenant: string | null }>(
        tx,
        sql`SELECT current_user AS role, current_setting('sigil.tenant_id', true) AS tenant`,
      );
      const tenants = await rowsOf<{ tenant_id: string }>(tx, sql`SELECT DISTINCT tenant_id FROM items ORDER BY tenant_id`);
      return { who, tenants: tenants.map((row) => row.tenant_id) };
    });

    expect(seen.who?.role).toBe(fixture.roles.system);
    expect(seen.who?.tenant ?? "").toBe("");
    expect(seen.tenants).toEqual([...fixture.tenants].sort());
  });
});

async function backendPid(tx: PgTransaction): Promise<number> {
  const [row] = await rowsOf<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
  if (!row) throw new Error("No backend pid was returned.");
  return row.pid;
}
