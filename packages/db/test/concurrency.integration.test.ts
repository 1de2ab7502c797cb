import { setTimeout as sleep } from "node:timers/promises";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { promptModel, settingsModel, tenantContext, userModel, type TenantRow } from "../src/index.ts";
import { PromptModel } from "../src/models/prompt.ts";
import { overlapped, runContenders, type ContenderReport } from "./contention.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let tenants: TenantRow[];
beforeAll(async () => {
  env = await useTempDataDir({ tenantCacheSize: 3 });
  tenants = await createTenants("c-one", "c-two", "c-three", "c-four", "c-five");
});
afterAll(() => env.cleanup());

/** One request-like chain: checks at every await that it still sees only its own tenant. */
async function chain(tenant: TenantRow, tag: string, pause: () => Promise<void>): Promise<void> {
  await tenantContext.runWithTenant(tenant.id, async () => {
    const expectOwn = () => expect(tenantContext.getCurrentTenantId()).toBe(tenant.id);
    expectOwn();
    await pause();
    const prompt = await promptModel.create({ name: `${tenant.slug}:${tag}`, template: "t" });
    expectOwn();
    await pause();
    await Promise.all([
      (async () => {
        await pause();
        expectOwn();
        await userModel.create({ email: `${tag}@${tenant.slug}.test`, name: tag });
      })(),
      (async () => {
        await sleep(Math.floor(Math.random() * 3));
        expectOwn();
        await promptModel.update(prompt.id, { template: `t2 ${tag}` });
      })(),
    ]);
    await pause();
    expectOwn();
    const visible = await promptModel.findMany();
    for (const row of visible) expect(row.name.startsWith(`${tenant.slug}:`)).toBe(true);
    const people = await userModel.findMany();
    for (const person of people) expect(person.email.endsWith(`@${tenant.slug}.test`)).toBe(true);
  });
}

test("interleaved runWithTenant chains under a randomized scheduler each see only their tenant", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 5, maxLength: 25 }), async (s, picks) => {
      run += 1;
      const pause = () => s.schedule(Promise.resolve());
      const chains = picks.map((pick, i) => {
        const tenant = tenants[pick];
        if (!tenant) throw new Error("tenant index out of range");
        return chain(tenant, `r${run}c${i}`, pause);
      });
      const all = Promise.all(chains);
      await s.waitFor(all);
      await all;
    }),
    { numRuns: 40 },
  );
  // Every chain's rows landed in its own tenant and nowhere else.
  for (const tenant of tenants) {
    const names = await tenantContext.runWithTenant(tenant.id, async () => (await promptModel.findMany()).map((p) => p.name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.startsWith(`${tenant.slug}:`))).toBe(true);
  }
});

test("nested runWithTenant switches tenant for the inner callback only", async () => {
  const [one, two] = tenants;
  if (!one || !two) throw new Error("tenants missing");
  await tenantContext.runWithTenant(one.id, async () => {
    const inner = tenantContext.runWithTenant(two.id, async () => {
      await sleep(1);
      return tenantContext.getCurrentTenantId();
    });
    expect(tenantContext.getCurrentTenantId()).toBe(one.id);
    expect(await inner).toBe(two.id);
    expect(tenantContext.getCurrentTenantId()).toBe(one.id);
  });
});

/*
 * The next two tests write from several processes at once (see contention.ts): in one process
 * better-sqlite3 is synchronous, so concurrent promises never interleave inside a transaction
 * and such a test would pass with the transaction removed. The web server and the execution
 * worker are separate processes on the same files; only SQLite's locks keep their writes apart.
 */
const WRITERS = 4;

test(`100 concurrent updates of one prompt from ${WRITERS} processes lose nothing: versions 1..101, no gaps or duplicates`, async () => {
  const [tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const prompt = await tenantContext.runWithTenant(tenant.id, () => promptModel.create({ name: "contended", template: "v1" }));
  const lease = env.manager.acquireTenantDatabase(tenant.id);
  let reports: ContenderReport[];
  try {
    reports = await runContenders({
      dataDir: env.dataDir,
      mode: "prompt-update",
      tenantId: tenant.id,
      target: prompt.id,
      writers: WRITERS,
      count: 100 / WRITERS,
      gate: lease.db.$client,
    });
  } finally {
    lease.release();
  }
  expect(overlapped(reports)).toBe(true);
  expect(reports.flatMap((r) => r.errors)).toEqual([]);
  expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(100);
  await tenantContext.runWithTenant(tenant.id, async () => {
    const versions = (await promptModel.versions(prompt.id)).map((v) => v.version).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    const current = await promptModel.findById(prompt.id);
    expect(current?.currentVersion).toBe(101);
    const latest = await promptModel.getVersion(prompt.id, 101);
    expect(latest?.template).toBe(current?.template);
  });
});

test(`concurrent upserts of one setting from ${WRITERS} processes leave exactly one row with a last value`, async () => {
  const [, tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  // The row is missing when the writers start: all of them race to insert it first.
  const reports = await runContenders({
    dataDir: env.dataDir,
    mode: "settings-upsert",
    tenantId: tenant.id,
    target: "contended",
    writers: WRITERS,
    count: 25,
    gate: env.manager.getSharedDatabase().$client,
  });
  expect(overlapped(reports)).toBe(true);
  expect(reports.flatMap((r) => r.errors)).toEqual([]);
  expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(WRITERS * 25);
  await tenantContext.runWithTenant(tenant.id, async () => {
    expect(await settingsModel.count({ type: "provider", identifier: "contended" })).toBe(1);
    // Each writer's last upsert is its seq 24; whichever committed last is the stored value.
    expect((await settingsModel.get("provider", "contended"))?.payload.seq).toBe(24);
  });
});

class SlowSessionPromptModel extends PromptModel {
  /**
   * Writes a prompt, waits `pauseMs` (a real timer: other requests run meanwhile), writes another,
   * then fails if asked: one session across the await.
   */
  async writeTwoAcrossAwait(names: [string, string], pauseMs: number, fail: boolean): Promise<void> {
    await this.session("test", "write", async ({ db, t }) => {
      await db.insert(t.prompts).values({ id: crypto.randomUUID(), name: names[0], template: "x" });
      await sleep(pauseMs);
      await db.insert(t.prompts).values({ id: crypto.randomUUID(), name: names[1], template: "x" });
      if (fail) throw new Error("the session failed after its second write");
    });
  }
}

test("a session that fails after an await rolls back both writes, and a request made meanwhile is neither inside it nor lost", async () => {
  const [tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const model = new SlowSessionPromptModel();
  await tenantContext.runWithTenant(tenant.id, async () => {
    const failing = model.writeTwoAcrossAwait(["half-written", "never"], 30, true);
    // Started while the failing session is open on the same connection: it waits for the
    // connection's lock instead of landing in that transaction and vanishing with its rollback.
    await sleep(5);
    const meanwhile = promptModel.create({ name: "meanwhile", template: "y" });
    await expect(failing).rejects.toThrow("the session failed after its second write");
    await meanwhile;
    expect(await promptModel.findByName("half-written")).toBeNull();
    expect(await promptModel.findByName("never")).toBeNull();
    expect(await promptModel.findByName("meanwhile")).not.toBeNull();

    // And a session that succeeds across an await keeps both writes.
    await model.writeTwoAcrossAwait(["first of two", "second of two"], 10, false);
    expect(await promptModel.findByName("first of two")).not.toBeNull();
    expect(await promptModel.findByName("second of two")).not.toBeNull();
  });
});
