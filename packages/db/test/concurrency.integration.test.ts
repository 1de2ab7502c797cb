import { setTimeout as sleep } from "node:timers/promises";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  AsyncTransactionError,
  promptModel,
  settingsModel,
  tenantContext,
  userModel,
  type TenantRow,
} from "../src/index.ts";
import { PromptModel } from "../src/models/prompt.ts";
import { prompts } from "../src/schema/tenant/prompts.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

let env: ReturnType<typeof useTempDataDir>;
let tenants: TenantRow[];
beforeAll(async () => {
  env = useTempDataDir({ tenantCacheSize: 3 });
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

test("100 concurrent updates of one prompt lose nothing: versions 1..101, no gaps or duplicates", async () => {
  const [tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const prompt = await tenantContext.runWithTenant(tenant.id, () => promptModel.create({ name: "contended", template: "v1" }));
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      tenantContext.runWithTenant(tenant.id, async () => {
        await sleep(Math.floor(Math.random() * 5));
        await promptModel.update(prompt.id, { template: `v${i + 2}` });
      }),
    ),
  );
  await tenantContext.runWithTenant(tenant.id, async () => {
    const versions = (await promptModel.versions(prompt.id)).map((v) => v.version).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    const current = await promptModel.findById(prompt.id);
    expect(current?.currentVersion).toBe(101);
    const latest = await promptModel.getVersion(prompt.id, 101);
    expect(latest?.template).toBe(current?.template);
  });
});

test("concurrent upserts of one setting leave exactly one row with the last value", async () => {
  const [tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      tenantContext.runWithTenant(tenant.id, () => settingsModel.upsert("provider", "openai", { n: i })),
    ),
  );
  await tenantContext.runWithTenant(tenant.id, async () => {
    expect(await settingsModel.count({ type: "provider", identifier: "openai" })).toBe(1);
    expect((await settingsModel.get("provider", "openai"))?.payload).toEqual({ n: 49 });
  });
});

class AsyncCallbackPromptModel extends PromptModel {
  /** The part of the callback that runs after its first await. */
  continuation: Promise<void> | undefined;

  /** A mistake the model layer must refuse: an async callback inside a transaction. */
  async writeTwoInAsyncTransaction(): Promise<unknown> {
    return this.withDatabase("test", (db) =>
      this.transaction(db, (tx) => {
        this.continuation = (async () => {
          tx.insert(prompts).values({ id: crypto.randomUUID(), name: "half-written", template: "x" }).run();
          await sleep(1);
          tx.insert(prompts).values({ id: crypto.randomUUID(), name: "never", template: "x" }).run();
        })();
        return this.continuation;
      }),
    );
  }
}

test("an async transaction callback is refused, rolls back, and cannot write after its await", async () => {
  const [tenant] = tenants;
  if (!tenant) throw new Error("tenant missing");
  const model = new AsyncCallbackPromptModel();
  await tenantContext.runWithTenant(tenant.id, async () => {
    await expect(model.writeTwoInAsyncTransaction()).rejects.toBeInstanceOf(AsyncTransactionError);
    // Without the guard this write would land outside any transaction (drizzle-orm#1472).
    await expect(model.continuation).rejects.toBeInstanceOf(AsyncTransactionError);
    expect(await promptModel.findByName("half-written")).toBeNull();
    expect(await promptModel.findByName("never")).toBeNull();
  });
});
