/**
 * Quotas enforced by two processes at once on the same tenant, as the web server and the
 * execution worker are two processes on one data directory (see contention.ts for how the
 * writers are started and made to collide). One slot is left under the limit and both processes
 * try to take it at the same moment, then keep trying: exactly one may succeed, every other
 * attempt is a QuotaExceededError, and nothing else fails (no SQLITE_BUSY).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { executionModel } from "../src/models/execution.ts";
import { fileModel } from "../src/models/file.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { overlapped, runContenders, type ContenderReport } from "./contention.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

const PROCESSES = 2;
const ATTEMPTS = 5;

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let tenants: TenantRow[];
beforeAll(async () => {
  env = await useTempDataDir({ tenantCacheSize: 4 });
  tenants = await createTenants("quota-files", "quota-seats", "quota-executions");
});
afterAll(() => env.cleanup());

function expectExactlyOneWinner(reports: ContenderReport[]): void {
  expect(overlapped(reports)).toBe(true);
  expect(reports.flatMap((r) => r.errors)).toEqual([]);
  expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(1);
  expect(reports.reduce((sum, r) => sum + r.quota, 0)).toBe(PROCESSES * ATTEMPTS - 1);
}

/** Races the writers on the tenant's own file, gated on that file's write lock (contention.ts). */
async function contendOnTenantFile(
  tenantId: string,
  options: { mode: "storage-quota" | "execution-quota"; target: string; limit: number },
): Promise<ContenderReport[]> {
  const lease = env.manager.acquireTenantDatabase(tenantId);
  try {
    return await runContenders({ dataDir: env.dataDir, tenantId, writers: PROCESSES, count: ATTEMPTS, gate: lease.db.$client, ...options });
  } finally {
    lease.release();
  }
}

test(`the storage quota holds when ${PROCESSES} processes store files at once (fileModel.storeWithinQuota)`, async () => {
  const [tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const size = 1_000;
  const limit = 5 * size;
  await tenantContext.runWithTenant(tenant.id, async () => {
    for (let i = 0; i < 4; i += 1) {
      await fileModel.storeWithinQuota({ name: `before-${i}.bin`, mimeType: "application/octet-stream", content: Buffer.alloc(size) }, limit);
    }
  });
  const reports = await contendOnTenantFile(tenant.id, { mode: "storage-quota", target: String(size), limit });
  expectExactlyOneWinner(reports);
  await tenantContext.runWithTenant(tenant.id, async () => {
    expect(await fileModel.totalBytes()).toBe(limit);
    expect(await fileModel.count()).toBe(5);
  });
});

test(`the user seat limit holds when ${PROCESSES} processes invite at once (userModel.createWithinSeatLimit)`, async () => {
  const [, tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const limit = 5;
  await tenantContext.runWithTenant(tenant.id, async () => {
    for (let i = 0; i < limit - 1; i += 1) await userModel.createWithinSeatLimit({ email: `before-${i}@quota.test`, name: `Before ${i}` }, limit);
  });
  const reports = await runContenders({
    dataDir: env.dataDir,
    mode: "seat-limit",
    tenantId: tenant.id,
    limit,
    writers: PROCESSES,
    count: ATTEMPTS,
    gate: env.manager.getSharedDatabase().$client,
  });
  expectExactlyOneWinner(reports);
  await tenantContext.runWithTenant(tenant.id, async () => {
    expect(await userModel.countSeats()).toBe(limit);
  });
});

test(`the monthly executions quota holds when ${PROCESSES} processes create executions at once (executionModel.createWithinMonthlyLimit)`, async () => {
  const [, , tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const limit = 5;
  const promptId = await tenantContext.runWithTenant(tenant.id, async () => {
    const prompt = await promptModel.create({ name: "quota", template: "x" });
    for (let i = 0; i < limit - 1; i += 1) {
      await executionModel.createWithinMonthlyLimit(
        { promptId: prompt.id, promptVersion: 1, input: { i }, provider: "template", model: "m" },
        { executions: limit, tokens: null },
      );
    }
    return prompt.id;
  });
  const reports = await contendOnTenantFile(tenant.id, { mode: "execution-quota", target: promptId, limit });
  expectExactlyOneWinner(reports);
  await tenantContext.runWithTenant(tenant.id, async () => {
    expect(await executionModel.count()).toBe(limit);
    // The monthly counter (which deleting executions never lowers) agrees with the rows.
    expect(await executionModel.countThisMonth()).toBe(limit);
  });
});
