/**
 * The PostgreSQL engine behind the HybridDatabaseManager (DATABASE_URL=postgres://…): what the
 * suites run on both engines cannot see, because the models' own tenant condition already holds.
 * Row-level security refuses another tenant's rows even to SQL that forgets the condition;
 * provisioning and deletion leave nothing behind; a read-then-write under contention loses nothing.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { refreshDatabaseSizes } from "../../src/control-plane-sizes.ts";
import { rawRows } from "../../src/engine/raw.ts";
import { tenantSchemaName } from "../../src/pg/names.ts";
import { tenantModel, userModel, promptModel } from "../../src/models/index.ts";
import { tenantContext } from "../../src/tenant-context.ts";
import type { TenantRow } from "../../src/models/tenant.ts";
import { createTenants, readShared, tenantInput, useTempDataDir } from "../helpers.ts";
import { rootCause } from "./fixture.ts";

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let a: TenantRow;
let b: TenantRow;

beforeAll(async () => {
  env = await useTempDataDir();
  [a, b] = await createTenants("pg-a", "pg-b").then(([first, second]) => {
    if (!first || !second) throw new Error("tenants not created");
    return [first, second];
  });
  for (const tenant of [a, b]) {
    await tenantContext.runWithTenant(tenant.id, () =>
      userModel.create({ email: `owner@${tenant.slug}.test`, name: "Owner", role: "admin", status: "active" }),
    );
  }
});
afterAll(() => env.cleanup());

test("row-level security shows a tenant only its own shared rows, even to SQL without a tenant condition", async () => {
  const emails = await tenantContext.runWithTenant(a.id, () =>
    env.manager.tenantSharedStore(a.id).session("read", (s) => rawRows<{ email: string }>(s, sql`SELECT email FROM sigil_shared.users`)),
  );
  expect(emails.map((row) => row.email)).toEqual(["owner@pg-a.test"]);
});

test("row-level security refuses a row written for another tenant", async () => {
  const write = env.manager
    .tenantSharedStore(a.id)
    .session("write", (s) =>
      rawRows(s, sql`INSERT INTO sigil_shared.users (id, tenant_id, email, name) VALUES (${randomUUID()}, ${b.id}, 'intruder@pg-b.test', 'Intruder')`),
    );
  expect((await rootCause(write)).message).toMatch(/row-level security/);
  const users = await readShared((s) => s.db.select().from(s.t.users).where(eq(s.t.users.tenantId, b.id)));
  expect(users.map((row) => row.email)).toEqual(["owner@pg-b.test"]);
});

test("a tenant's schema is reachable only inside its own transactions: another tenant's schema is not on the search path", async () => {
  const read = env.manager.withTenantStore(a.id, (store) =>
    store.session("read", (s) => rawRows(s, sql.raw(`SELECT count(*) FROM ${tenantSchemaName(b.id)}.prompts`))),
  );
  // The app role has USAGE on every tenant schema it serves; the search_path, not a grant, keeps
  // the schemas apart, and the models never name a schema (docs/architecture.md).
  await expect(read).resolves.toBeDefined();
  const own = await tenantContext.runWithTenant(a.id, () => promptModel.count());
  expect(own).toBe(0);
});

test("a provisioning whose registration fails leaves no schema and no registry row", async () => {
  const before = await schemas();
  const taken = tenantModel.createTenant(tenantInput(a.slug));
  await expect(taken).rejects.toThrow(/already taken/);
  expect(await schemas()).toEqual(before);
  const rows = await readShared((s) => s.db.select().from(s.t.tenants));
  expect(rows.map((row) => row.slug).sort()).toEqual(["pg-a", "pg-b"]);
});

test("deleting a tenant drops its schema with its shared rows, in one transaction", async () => {
  const [gone] = await createTenants("pg-gone");
  if (!gone) throw new Error("no tenant");
  await tenantContext.runWithTenant(gone.id, () => promptModel.create({ name: "p", template: "x" }));
  expect(await schemas()).toContain(tenantSchemaName(gone.id));
  await tenantModel.deleteTenant(gone.id);
  expect(await schemas()).not.toContain(tenantSchemaName(gone.id));
  expect(await readShared((s) => s.db.select().from(s.t.tenantUsage).where(eq(s.t.tenantUsage.tenantId, gone.id)))).toEqual([]);
  await expect(tenantContext.runWithTenant(gone.id, () => promptModel.count())).rejects.toThrow(/not found|does not exist/i);
});

test("40 concurrent read-then-write updates of one prompt lose nothing: the tenant's writers take its lock in turn", async () => {
  const prompt = await tenantContext.runWithTenant(a.id, () => promptModel.create({ name: "contended", template: "v0" }));
  await Promise.all(Array.from({ length: 40 }, (_, n) => tenantContext.runWithTenant(a.id, () => promptModel.update(prompt.id, { template: `v${n + 1}` }))));
  const versions = await tenantContext.runWithTenant(a.id, () => promptModel.versions(prompt.id));
  expect(versions.map((version) => version.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 41 }, (_, n) => n + 1));
});

async function schemas(): Promise<string[]> {
  const rows = await readShared((s) => rawRows<{ nspname: string }>(s, sql`SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY 1`));
  return rows.map((row) => row.nspname);
}

test("the control plane measures each tenant's schema, not a file that does not exist", async () => {
  const report = await refreshDatabaseSizes();
  expect(report.measured).toBe(2);
  const recorded = await readShared(async (s) => s.db.select({ id: s.t.tenantUsage.tenantId, bytes: s.t.tenantUsage.databaseBytes }).from(s.t.tenantUsage));
  for (const tenant of [a, b]) {
    const bytes = recorded.find((row) => row.id === tenant.id)?.bytes;
    expect(bytes, tenant.slug).toBe(await env.manager.tenantDatabaseBytes(tenant.id, "local"));
    // Fourteen empty tables with their indexes: hundreds of KiB, never 0.
    expect(bytes, tenant.slug).toBeGreaterThan(100_000);
  }
});
