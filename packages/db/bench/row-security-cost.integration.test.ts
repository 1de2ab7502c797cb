import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { prepareRowSecurityBench, ROW_SECURITY_OPERATIONS, type RowSecurityBench } from "./row-security-cost.ts";

// The bench's figures mean something only if both databases answer every measured operation with
// the seeded rows, the policies act in one and not in the other (prepareRowSecurityBench refuses
// otherwise), and nothing is left on the server afterwards.

const TENANTS = 3;
const USERS_PER_TENANT = 2;

async function leftovers(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT datname AS name FROM pg_database WHERE datname LIKE 'sigil_rls_%' UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE 'sigil_bench_%'",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe("row-security bench", () => {
  const url = inject("postgresUrl");
  let bench: RowSecurityBench | undefined;
  beforeAll(async () => {
    bench = await prepareRowSecurityBench(url, { tenants: TENANTS, usersPerTenant: USERS_PER_TENANT, connections: 2 });
  });
  afterAll(async () => {
    await bench?.close();
  });

  const opened = (): RowSecurityBench => {
    if (!bench) throw new Error("The bench was not prepared.");
    return bench;
  };

  test.each(ROW_SECURITY_OPERATIONS)("%s finds the seeded rows of every tenant and user, with and without policies", async (operation) => {
    const { withPolicies, withoutPolicies } = opened();
    for (const variant of [withPolicies, withoutPolicies]) {
      for (let sample = 0; sample < TENANTS * USERS_PER_TENANT * 2; sample += 1) await variant.run(operation, sample);
    }
  });

  test("the variants are what their names say", () => {
    expect(opened().withPolicies.policies).toBe(true);
    expect(opened().withoutPolicies.policies).toBe(false);
  });

  test("close drops both databases and the run's roles", async () => {
    const other = await prepareRowSecurityBench(url, { tenants: 2, usersPerTenant: 1, connections: 1 });
    const before = await leftovers(url);
    await other.close();
    const after = await leftovers(url);
    const gone = before.filter((name) => !after.includes(name));
    expect(gone.filter((name) => name.startsWith("sigil_rls_"))).toHaveLength(2);
    expect(gone.filter((name) => name.startsWith("sigil_bench_"))).toHaveLength(2);
    expect(after.filter((name) => !before.includes(name))).toEqual([]);
  });

  test("refuses a size it cannot seed", async () => {
    await expect(prepareRowSecurityBench(url, { tenants: 1, usersPerTenant: 1, connections: 1 })).rejects.toThrow(/at least 2 tenants/);
    await expect(prepareRowSecurityBench(url, { tenants: 2, usersPerTenant: 0, connections: 1 })).rejects.toThrow(/usersPerTenant/);
  });
});
