/**
 * Storage and monthly-execution quotas under a race: usage one step below the limit, then 50
 * parallel requests through the real fetch handler. Exactly one may succeed; the other 49 get
 * FORBIDDEN with `data.quota`, and nothing beyond the limit is stored. (The users quota race is
 * in its own file.)
 */
import { executionModel, fileModel, tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

const PARALLEL = 50;
let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
});
afterAll(() => env.cleanup());

interface QuotaData {
  resource: string;
  limit: number;
  current: number;
}

function summarize(results: CallResult[]): { ok: number; quota: QuotaData[]; other: string[] } {
  const quota: QuotaData[] = [];
  const other: string[] = [];
  let ok = 0;
  for (const result of results) {
    if (!result.error) ok += 1;
    else if (result.status === 403 && result.error.data.code === "FORBIDDEN" && result.error.data.quota) quota.push(result.error.data.quota as QuotaData);
    else other.push(`${result.status} ${String(result.error.data.code)}: ${result.error.message}`);
  }
  return { ok, quota, other };
}

async function signedInUser(slug: string): Promise<{ tenant: TenantRow; as: CallOptions }> {
  const { tenant } = await createTenantWithUsers(slug);
  return { tenant, as: { tenant: slug, cookie: await login(slug, `user@${slug}.test`) } };
}

test("storage: filled to just below the limit, 50 parallel uploads → exactly one fits, 49 FORBIDDEN with data.quota", async () => {
  const { tenant, as } = await signedInUser("storage-race");
  // The validators' minimum is 100 MB; the model takes any number, so 1 MB keeps the test small.
  await tenantModel.update(tenant.id, { limitStorageMb: 1 });
  const limit = 1024 * 1024;
  const each = 100;
  // Room for one more upload of `each` bytes but not two.
  const filler = Buffer.alloc(limit - each - 50, 1);
  const first = await call(
    "mutation",
    "files.upload",
    { name: "filler.bin", mimeType: "application/octet-stream", contentBase64: filler.toString("base64") },
    as,
  );
  expect(first.error).toBeUndefined();
  const usedBefore = limit - each - 50;

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) =>
      call(
        "mutation",
        "files.upload",
        { name: `race-${i}.bin`, mimeType: "application/octet-stream", contentBase64: Buffer.alloc(each, i).toString("base64") },
        as,
      ),
    ),
  );
  const elapsed = performance.now() - started;
  const { ok, quota, other } = summarize(results);
  console.log(`storage race: ${ok} succeeded, ${quota.length} FORBIDDEN (quota), ${other.length} other, in ${elapsed.toFixed(0)} ms`);
  expect(other).toEqual([]);
  expect(ok).toBe(1);
  expect(quota).toHaveLength(PARALLEL - 1);
  for (const data of quota) expect(data).toEqual({ resource: "storage", limit, current: usedBefore + each });
  const refused = results.find((r) => r.error);
  expect(refused?.error?.message).toMatch(/would exceed the plan's 1\.0 MB of storage \(1024\.0 KB used\)/);

  // Nothing extra was stored.
  const stored = await tenantContext.runWithTenant(tenant.id, async () => ({ bytes: await fileModel.totalBytes(), files: await fileModel.count() }));
  expect(stored).toEqual({ bytes: usedBefore + each, files: 2 });
  const usage = await call<{ usedBytes: number; limitBytes: number; remainingBytes: number }>("query", "files.usage", undefined, as);
  expect(usage.data).toMatchObject({ usedBytes: usedBefore + each, limitBytes: limit, remainingBytes: 50 });
});

test("executions: at limit − 1 this month, 50 parallel creates → exactly one succeeds, 49 FORBIDDEN with data.quota", async () => {
  const { tenant, as } = await signedInUser("exec-race");
  const limit = 5;
  await tenantModel.update(tenant.id, { limitExecutionsPerMonth: limit });
  const prompt = await call<{ id: string }>("mutation", "prompts.create", { name: "race", template: "Hi {{name}}" }, as);
  const promptId = prompt.data?.id;
  if (!promptId) throw new Error(`prompt not created: ${prompt.error?.message}`);
  for (let i = 0; i < limit - 1; i += 1) {
    const made = await call("mutation", "executions.create", { promptId, input: { name: `warm-${i}` } }, as);
    expect(made.error).toBeUndefined();
  }

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: PARALLEL }, (_, i) => call("mutation", "executions.create", { promptId, input: { name: `race-${i}` } }, as)),
  );
  const elapsed = performance.now() - started;
  const { ok, quota, other } = summarize(results);
  console.log(`executions race: ${ok} succeeded, ${quota.length} FORBIDDEN (quota), ${other.length} other, in ${elapsed.toFixed(0)} ms`);
  expect(other).toEqual([]);
  expect(ok).toBe(1);
  expect(quota).toHaveLength(PARALLEL - 1);
  for (const data of quota) expect(data).toEqual({ resource: "executions_per_month", limit, current: limit });
  expect(results.find((r) => r.error)?.error?.message).toMatch(/The plan allows 5 executions a month and 5 ran this month \(UTC\)/);

  const count = await tenantContext.runWithTenant(tenant.id, () => executionModel.countThisMonth());
  expect(count).toBe(limit);
  const stats = await call<{ thisMonth: { used: number; limit: number; remaining: number } }>("query", "executions.stats", undefined, as);
  expect(stats.data?.thisMonth).toMatchObject({ used: limit, limit, remaining: 0 });

  // deployments.run counts against the same quota.
  const admin = { tenant: "exec-race", cookie: await login("exec-race", "admin@exec-race.test") };
  const deployment = await call("mutation", "deployments.create", { name: "race-bot", promptId, provider: "template", model: "mustache" }, admin);
  expect(deployment.error).toBeUndefined();
  const run = await call("mutation", "deployments.run", { name: "race-bot", input: {} }, as);
  expect(run.status).toBe(403);
  expect(run.error?.data.quota).toEqual({ resource: "executions_per_month", limit, current: limit });
  expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.countThisMonth())).toBe(limit);
});

test("executions: deleting a prompt does not give its executions back (the monthly counter never goes down)", async () => {
  const { tenant, as } = await signedInUser("exec-delete");
  const limit = 100;
  await tenantModel.update(tenant.id, { limitExecutionsPerMonth: limit });
  const create = async (name: string) => {
    const prompt = await call<{ id: string }>("mutation", "prompts.create", { name, template: "Hi {{n}}" }, as);
    if (!prompt.data) throw new Error(`prompt not created: ${prompt.error?.message}`);
    return prompt.data.id;
  };
  const doomed = await create("doomed");
  for (let batch = 0; batch < limit / 10; batch += 1) {
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call("mutation", "executions.create", { promptId: doomed, input: { n: batch * 10 + i } }, as)),
    );
    expect(made.filter((result) => result.error)).toEqual([]);
  }
  const deleted = await call("mutation", "prompts.delete", { id: doomed }, as);
  expect(deleted.error).toBeUndefined();
  // The executions went with the prompt…
  expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.count())).toBe(0);

  // …but the month's 100 still count: the next one is refused, and so is every one of 20 parallel ones.
  const survivor = await create("survivor");
  const next = await call("mutation", "executions.create", { promptId: survivor, input: { n: 0 } }, as);
  expect(next.status).toBe(403);
  expect(next.error?.data.quota).toEqual({ resource: "executions_per_month", limit, current: limit });
  const parallel = await Promise.all(Array.from({ length: 20 }, (_, i) => call("mutation", "executions.create", { promptId: survivor, input: { n: i } }, as)));
  const { ok, quota, other } = summarize(parallel);
  expect({ ok, quota: quota.length, other }).toEqual({ ok: 0, quota: 20, other: [] });
  expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.count())).toBe(0);

  const stats = await call<{ thisMonth: { used: number; limit: number; remaining: number } }>("query", "executions.stats", undefined, as);
  expect(stats.data?.thisMonth).toMatchObject({ used: limit, limit, remaining: 0 });
});
