import { afterAll, beforeAll, expect, test } from "vitest";
import { HybridDatabaseManager, tenantContext, userModel, type TenantRow } from "../src/index.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let tenant: TenantRow;
beforeAll(async () => {
  env = await useTempDataDir();
  const [created] = await createTenants("admins");
  if (!created) throw new Error("no tenant");
  tenant = created;
});
afterAll(() => env.cleanup());

function inTenant<R>(fn: () => Promise<R>): Promise<R> {
  return tenantContext.runWithTenant(tenant.id, fn);
}

async function admin(email: string): Promise<string> {
  return (await inTenant(() => userModel.create({ email, name: email, role: "admin", status: "active" }))).id;
}

test("the sole active admin can be renamed but not demoted or deactivated", async () => {
  const sole = await admin("sole@admins.test");
  await inTenant(async () => {
    expect(await userModel.updateKeepingAnActiveAdmin(sole, { name: "Renamed" })).toMatchObject({ user: { name: "Renamed", role: "admin" } });
    expect(await userModel.updateKeepingAnActiveAdmin(sole, { role: "user" })).toEqual({ refused: "lastActiveAdmin" });
    expect(await userModel.updateKeepingAnActiveAdmin(sole, { status: "inactive" })).toEqual({ refused: "lastActiveAdmin" });
    expect(await userModel.findById(sole)).toMatchObject({ role: "admin", status: "active" });
    await userModel.delete(sole);
  });
});

test("a refused change is not kept when the call joins a session that goes on and commits", async () => {
  const sole = await admin("joined@admins.test");
  const refused = await inTenant(() =>
    HybridDatabaseManager.getInstance()
      .sharedStore()
      .session("write", () => userModel.updateKeepingAnActiveAdmin(sole, { role: "user" })),
  );
  expect(refused).toEqual({ refused: "lastActiveAdmin" });
  expect(await inTenant(() => userModel.findById(sole))).toMatchObject({ role: "admin", status: "active" });
  await inTenant(() => userModel.delete(sole));
});

test("two admins demoting each other at once: exactly one change goes through", async () => {
  const [a, b] = [await admin("a@admins.test"), await admin("b@admins.test")];
  const results = await inTenant(() =>
    Promise.all([userModel.updateKeepingAnActiveAdmin(a, { role: "user" }), userModel.updateKeepingAnActiveAdmin(b, { role: "user" })]),
  );
  expect(results.filter((result) => "user" in result)).toHaveLength(1);
  expect(results.filter((result) => "refused" in result)).toEqual([{ refused: "lastActiveAdmin" }]);
  expect(await inTenant(() => userModel.findByRole("admin"))).toHaveLength(1);
});
