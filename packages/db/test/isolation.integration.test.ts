import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { getTableColumns } from "drizzle-orm";
import { tenantContext, TenantScopeViolationError, type TenantRow } from "../src/index.ts";
import type { ModelTable } from "../src/models/base-model.ts";
import { MODEL_CASES, type ModelCase } from "./model-fixtures.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

/**
 * Two tenants, every CRUD method of every shared and isolated model: tenant A never reads,
 * counts, updates or deletes B's rows, even when it passes B's ids or B's tenant_id.
 */
let env: Awaited<ReturnType<typeof useTempDataDir>>;
let a: TenantRow;
let b: TenantRow;
const ids = new Map<string, { a: string[]; b: string[] }>();

const asA = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(a.id, fn);
const asB = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(b.id, fn);
const ROWS = 3;

beforeAll(async () => {
  env = await useTempDataDir();
  const created = await createTenants("tenant-a", "tenant-b");
  if (!created[0] || !created[1]) throw new Error("tenants not created");
  [a, b] = [created[0], created[1]];
  for (const c of MODEL_CASES) {
    const entry = { a: [] as string[], b: [] as string[] };
    for (let n = 0; n < ROWS; n += 1) {
      entry.a.push((await asA(() => c.create(n))).id);
      entry.b.push((await asB(() => c.create(100 + n))).id);
    }
    ids.set(c.name, entry);
  }
});
afterAll(() => env.cleanup());

function idsOf(c: ModelCase): { a: string[]; b: string[] } {
  const entry = ids.get(c.name);
  if (!entry) throw new Error(`no ids for ${c.name}`);
  return entry;
}

describe.each(MODEL_CASES)("$name ($strategy)", (c) => {
  test("findById and findOne never return the other tenant's row, even by its id", async () => {
    for (const bId of idsOf(c).b) {
      expect(await asA(() => c.model.findById(bId))).toBeNull();
      expect(await asA(() => c.model.findOne({ id: bId }))).toBeNull();
    }
    for (const aId of idsOf(c).a) expect((await asA(() => c.model.findById(aId)))?.id).toBe(aId);
  });

  // Reads compiled once and reused (engine/compiled.ts: findById of an unscoped model, the
  // unfiltered page): A compiles them first, then B runs them. A query cached across connections,
  // or a scope value baked into a cached query, would hand B A's rows or hide B's own.
  test("a read compiled for one tenant answers the next tenant from its own rows", async () => {
    const [aId] = idsOf(c).a;
    const [bId] = idsOf(c).b;
    if (!aId || !bId) throw new Error("no rows");
    expect((await asA(() => c.model.findById(aId)))?.id).toBe(aId);
    const pageA = await asA(() => c.model.findWithPagination({ page: 1, pageSize: 20 }));
    expect(pageA.data.map((row) => (row as { id: string }).id)).toContain(aId);
    expect(await asB(() => c.model.findById(aId))).toBeNull();
    expect((await asB(() => c.model.findById(bId)))?.id).toBe(bId);
    const pageB = await asB(() => c.model.findWithPagination({ page: 1, pageSize: 20 }));
    const pageBIds = pageB.data.map((row) => (row as { id: string }).id);
    expect(pageBIds).toContain(bId);
    expect(pageBIds.filter((id) => idsOf(c).a.includes(id))).toEqual([]);
    expect(pageB.total).toBe(await asB(() => c.model.count()));
  });

  test("findMany, findWithPagination and count see only the tenant's own rows", async () => {
    const own = new Set(idsOf(c).a);
    const many = await asA(() => c.model.findMany());
    const manyIds = many.map((row) => (row as { id: string }).id);
    expect(manyIds.every((id: string) => !idsOf(c).b.includes(id))).toBe(true);
    for (const id of own) expect(manyIds).toContain(id);
    const page = await asA(() => c.model.findWithPagination({ page: 1, pageSize: 500 }));
    expect(page.total).toBe(many.length);
    expect(page.data.map((row) => (row as { id: string }).id).sort()).toEqual([...manyIds].sort());
    expect(await asA(() => c.model.count())).toBe(many.length);
    expect(await asA(() => c.model.count({ id: idsOf(c).b[0] }))).toBe(0);
  });

  test("a where callback naming the other tenant's ids still returns nothing of theirs", async () => {
    const bId = idsOf(c).b[0];
    if (!bId) throw new Error("no b row");
    const rows = await asA(() => c.model.findMany({ where: (t: ModelTable) => eq(t.id, bId) }));
    expect(rows).toEqual([]);
  });

  test("update and delete with the other tenant's id change nothing", async () => {
    const bId = idsOf(c).b[0];
    if (!bId) throw new Error("no b row");
    const before = await asB(() => c.model.findById(bId));
    if (c.name === "auditLogModel") {
      await expect(asA(() => c.model.update(bId, c.patch))).rejects.toThrow(/append-only/);
      await expect(asA(() => c.model.delete(bId))).rejects.toThrow(/append-only/);
    } else {
      expect(await asA(() => c.model.update(bId, c.patch))).toBeNull();
      expect(await asA(() => c.model.delete(bId))).toBe(false);
    }
    expect(await asB(() => c.model.findById(bId))).toEqual(before);
  });

  test("update and delete of the tenant's own row work", async () => {
    if (c.name === "auditLogModel") return;
    const row = await asA(() => c.create(500));
    const updated = await asA(() => c.model.update(row.id, c.patch));
    expect(updated?.id).toBe(row.id);
    expect(await asA(() => c.model.delete(row.id))).toBe(true);
    expect(await asA(() => c.model.findById(row.id))).toBeNull();
  });

  if (c.strategy === "shared") {
    test("tenantId can be neither set, filtered on nor changed by the caller", async () => {
      const bId = idsOf(c).b[0];
      if (!bId) throw new Error("no b row");
      await expect(asA(() => c.model.findMany({ where: { tenantId: b.id } }))).rejects.toBeInstanceOf(TenantScopeViolationError);
      await expect(asA(() => c.model.findOne({ tenantId: b.id, id: bId }))).rejects.toBeInstanceOf(TenantScopeViolationError);
      await expect(asA(() => c.model.count({ tenantId: b.id }))).rejects.toBeInstanceOf(TenantScopeViolationError);
      const aId = idsOf(c).a[0];
      if (!aId) throw new Error("no a row");
      await expect(asA(() => c.model.update(aId, { tenantId: b.id }))).rejects.toBeInstanceOf(TenantScopeViolationError);
      const created = asA(() => c.model.create({ tenantId: b.id }));
      await expect(created).rejects.toBeInstanceOf(TenantScopeViolationError);
      // A raw condition on tenant_id is ANDed with the scope, never replaces it.
      const columns = getTableColumns(c.model["table"]) as Record<string, Parameters<typeof eq>[0]>;
      const tenantColumn = columns.tenantId;
      if (!tenantColumn) throw new Error("shared table without tenantId");
      expect(await asA(() => c.model.findMany({ where: () => eq(tenantColumn, b.id) }))).toEqual([]);
      expect(await asA(() => c.model.count(() => eq(tenantColumn, b.id)))).toBe(0);
    });

    test("rows created in a tenant carry that tenant's id", async () => {
      const rows = await asB(() => c.model.findMany());
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect((row as { tenantId: string }).tenantId).toBe(b.id);
    });
  }
});

test("unique constraints are per tenant: both tenants may use the same email and names", async () => {
  const { userModel, promptModel, deploymentModel } = await import("../src/index.ts");
  await asA(() => userModel.create({ email: "same@example.com", name: "A" }));
  await asB(() => userModel.create({ email: "same@example.com", name: "B" }));
  const pa = await asA(() => promptModel.create({ name: "same", template: "a" }));
  const pb = await asB(() => promptModel.create({ name: "same", template: "b" }));
  await asA(() => deploymentModel.create({ name: "same", promptId: pa.id, provider: "template", model: "m" }));
  await asB(() => deploymentModel.create({ name: "same", promptId: pb.id, provider: "template", model: "m" }));
  // A duplicate inside one tenant is a conflict whose message reveals no row values.
  const duplicate = asA(() => userModel.create({ email: "same@example.com", name: "again" }));
  await expect(duplicate).rejects.toThrow(/already exists/);
  await expect(duplicate).rejects.not.toThrow(/same@example.com/);
});
