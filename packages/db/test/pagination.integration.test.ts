import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { executionModel } from "../src/models/execution.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

/**
 * findWithPagination on an isolated model without a filter runs prepared statements kept per
 * connection and ordering (models/base-model.ts): the pages must be exactly those of the
 * filtered path, in every ordering, on every page, and follow writes.
 */
let env: Awaited<ReturnType<typeof useTempDataDir>>;
let tenant: TenantRow;
const inTenant = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(tenant.id, fn);

beforeAll(async () => {
  env = await useTempDataDir();
  [tenant] = (await createTenants("pages")) as [TenantRow];
  await inTenant(async () => {
    for (let i = 0; i < 25; i += 1)
      await promptModel.create({ name: `p${String(i).padStart(2, "0")}`, template: "t", acceptsFiles: false, responseSchema: null });
  });
});
afterAll(() => env.cleanup());

const names = (rows: { name: string }[]) => rows.map((row) => row.name);

test("every page, in each ordering, equals the same page read through the filtered path", async () => {
  for (const direction of ["asc", "desc"] as const) {
    for (const page of [1, 2, 3, 4]) {
      const options = { orderBy: { column: "name" as const, direction }, page, pageSize: 10 };
      const fast = await inTenant(() => promptModel.findWithPagination(options));
      // A filter that matches every row takes the query-building path.
      const built = await inTenant(() => promptModel.findWithPagination({ ...options, where: (t) => sql`${t.id} IS NOT NULL` }));
      expect(fast.total).toBe(25);
      expect(names(fast.data)).toEqual(names(built.data));
    }
  }
  const first = await inTenant(() => promptModel.findWithPagination({ orderBy: { column: "name", direction: "desc" }, page: 1, pageSize: 3 }));
  expect(names(first.data)).toEqual(["p24", "p23", "p22"]);
  const third = await inTenant(() => promptModel.findWithPagination({ orderBy: { column: "name", direction: "asc" }, page: 3, pageSize: 10 }));
  expect(names(third.data)).toEqual(["p20", "p21", "p22", "p23", "p24"]);
  expect(third.totalPages).toBe(3);
});

test("pages follow writes: a new row is counted and listed at once", async () => {
  const before = await inTenant(() => promptModel.findWithPagination({ orderBy: { column: "name" }, pageSize: 50 }));
  await inTenant(() => promptModel.create({ name: "p99", template: "t", acceptsFiles: false, responseSchema: null }));
  const after = await inTenant(() => promptModel.findWithPagination({ orderBy: { column: "name" }, pageSize: 50 }));
  expect(after.total).toBe(before.total + 1);
  expect(names(after.data).at(-1)).toBe("p99");
  expect(await inTenant(() => executionModel.findWithPagination({ pageSize: 5 }))).toMatchObject({ total: 0, data: [] });
});
