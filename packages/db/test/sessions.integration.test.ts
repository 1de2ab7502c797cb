import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { HybridDatabaseManager, promptModel, settingsModel, tenantContext, type TenantRow } from "../src/index.ts";
import { createTenants, sqliteOnlyTest, useTempDataDir } from "./helpers.ts";

/**
 * The session layer (src/engine): one lock per connection, nested calls joining the open session,
 * and the lock order between a tenant's store and the shared store.
 */
let env: Awaited<ReturnType<typeof useTempDataDir>>;
let tenant: TenantRow;

beforeAll(async () => {
  env = await useTempDataDir();
  const [created] = await createTenants("sessions-a");
  if (!created) throw new Error("tenant missing");
  tenant = created;
});
afterAll(() => env.cleanup());

const shared = () => HybridDatabaseManager.getInstance().sharedStore();

test("a tenant store session opened inside a shared store session is refused (the lock order is tenant, then shared)", async () => {
  await tenantContext.runWithTenant(tenant.id, async () => {
    await expect(shared().session("read", () => promptModel.count())).rejects.toThrow(/lock order is tenant first, then shared/);
    // The other way round is the order every model uses (an execution's finish marks the worker index).
    await expect(HybridDatabaseManager.getInstance().withTenantStore(tenant.id, (store) => store.session("read", () => settingsModel.count()))).resolves.toBe(
      0,
    );
  });
});

test("a call made inside an open session of the same store joins it: it sees the session's uncommitted rows and rolls back with it", async () => {
  await tenantContext.runWithTenant(tenant.id, async () => {
    const failed = tenantContext.withTenantStore("test", (store) =>
      store.session("write", async () => {
        await promptModel.create({ name: "joined", template: "x" });
        // A nested read on the same store joins: it does not wait for the lock it already holds.
        expect(await promptModel.findByName("joined")).not.toBeNull();
        throw new Error("abandon the session");
      }),
    );
    await expect(failed).rejects.toThrow("abandon the session");
    expect(await promptModel.findByName("joined")).toBeNull();
  });
});

test("a write inside a read session of the same store is refused, and nothing is written", async () => {
  await tenantContext.runWithTenant(tenant.id, async () => {
    await expect(
      tenantContext.withTenantStore("test", (store) => store.session("read", () => promptModel.create({ name: "in a read", template: "x" }))),
    ).rejects.toThrow(/write was started inside a read session/);
    expect(await promptModel.findByName("in a read")).toBeNull();
  });
});

sqliteOnlyTest("sessions on one connection run one at a time, in the order they asked, however their awaits interleave", async () => {
  const order: string[] = [];
  await tenantContext.runWithTenant(tenant.id, async () => {
    const session = (name: string, pauseMs: number) =>
      tenantContext.withTenantStore("test", (store) =>
        store.session("write", async () => {
          order.push(`${name} begins`);
          await sleep(pauseMs);
          order.push(`${name} ends`);
        }),
      );
    await Promise.all([session("first", 20), session("second", 1), session("third", 5)]);
  });
  expect(order).toEqual(["first begins", "first ends", "second begins", "second ends", "third begins", "third ends"]);
});
