import { afterAll, beforeAll, expect, test } from "vitest";
import { NoTenantContextError, tenantContext } from "../src/index.ts";
import { Model } from "../src/models/base-model.ts";
import { MODEL_CASES } from "./model-fixtures.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

/** Internal building blocks of Model; every other method is public surface and must fail closed. */
const INTERNAL = new Set([
  "constructor",
  "session",
  "tableIn",
  "insertRow",
  "updateRow",
  "countIn",
  "scope",
  "ownedValues",
  "afterCreate",
  "afterUpdate",
  "selectById",
  "selectMany",
  "condition",
  "column",
  "assertCallerFields",
  "insertValues",
  "patchValues",
  "whereToSql",
  "orderToSql",
  "translateConflict",
  "tableName",
  "writeVersion",
  "updateVersioned",
  "compiledCount",
  "compiledPage",
  "selectWhere",
  "countWhere",
]);

const SOME_ID = "5f0c6a52-1d2b-4c55-9f5e-0a7d3c2b1e44";
/** Arguments that are valid in shape, so the only reason to fail is the missing context. */
const ARGS: Record<string, unknown[]> = {
  store: [{ name: "a.txt", mimeType: "text/plain", content: Buffer.from("a") }],
  storeWithinQuota: [{ name: "a.txt", mimeType: "text/plain", content: Buffer.from("a") }, 1_000],
  countThisMonth: [new Date()],
  createWithinMonthlyLimit: [{}, { executions: 10, tokens: null }],
  createWithinSeatLimit: [{}, 10],
  updateWithinSeatLimit: [SOME_ID, {}, 10],
  finish: [SOME_ID, { result: "x" }, { workerId: "w", attempt: 1 }],
  claimNextPending: [{ workerId: "w", leaseMs: 1_000 }],
  renewLease: [SOME_ID, { workerId: "w", leaseMs: 1_000, attempt: 1 }],
  recoverExpiredLeases: [3],
  create: [{}],
  update: [SOME_ID, {}],
  findOne: [{ id: SOME_ID }],
  search: [{ query: "x" }],
  upsert: ["webhook", "x", {}],
  get: ["webhook", "x"],
  record: [{ actorType: "system", action: "x" }],
  restoreVersion: [SOME_ID, 1],
  getVersion: [SOME_ID, 1],
  countCreatedBetween: [new Date(0), new Date()],
  findByRole: ["admin"],
};

function prototypeOf(value: object): object | null {
  return Object.getPrototypeOf(value) as object | null;
}

function publicMethods(model: object): string[] {
  const names = new Set<string>();
  for (let proto = prototypeOf(model); proto && proto !== Object.prototype; proto = prototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (!INTERNAL.has(name) && typeof descriptor?.value === "function") names.add(name);
    }
  }
  return [...names].sort();
}

let env: Awaited<ReturnType<typeof useTempDataDir>>;
beforeAll(async () => {
  env = await useTempDataDir();
  await createTenants("present");
});
afterAll(() => env.cleanup());

test.each(MODEL_CASES)("every public method of $name throws NoTenantContextError outside runWithTenant", async (c) => {
  const methods = publicMethods(c.model);
  expect(methods).toEqual(expect.arrayContaining(["create", "findById", "findOne", "findMany", "findWithPagination", "update", "delete", "count"]));
  for (const method of methods) {
    if (c.name === "auditLogModel" && (method === "update" || method === "delete")) continue; // refused by design
    const fn = (c.model as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
    if (!fn) throw new Error(`missing ${method}`);
    const args = ARGS[method] ?? [SOME_ID];
    await expect(fn.apply(c.model, args), `${c.name}.${method}`).rejects.toBeInstanceOf(NoTenantContextError);
  }
});

test("the context ends with the callback: work scheduled after it has no tenant", async () => {
  const [tenant] = await createTenants("ended");
  if (!tenant) throw new Error("no tenant");
  const { promptModel } = await import("../src/index.ts");
  let later: Promise<unknown> = Promise.resolve();
  await tenantContext.runWithTenant(tenant.id, async () => {
    await promptModel.count();
  });
  // Code outside any run, even right after one on the same tick, sees no tenant.
  later = promptModel.count();
  await expect(later).rejects.toBeInstanceOf(NoTenantContextError);
  expect(tenantContext.tryGetCurrentTenantId()).toBeUndefined();
  expect(() => tenantContext.getCurrentTenantId()).toThrow(NoTenantContextError);
});

test("Model is the base of every tenant-scoped model", () => {
  for (const c of MODEL_CASES) expect(c.model).toBeInstanceOf(Model);
});
