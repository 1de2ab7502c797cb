import { afterAll, beforeAll, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
  await createTenantWithUsers("acme");
});
afterAll(() => env.cleanup());

test("login and me", async () => {
  const cookie = await login("acme", "admin@acme.test");
  const me = await call<{ user: { email: string } }>("query", "auth.me", undefined, { tenant: "acme", cookie });
  expect(me.error).toBeUndefined();
  expect(me.data?.user.email).toBe("admin@acme.test");
  const other = await call("query", "auth.me", undefined, { tenant: "nope", cookie });
  expect(other.status).toBe(404);
  const none = await call("query", "auth.me", undefined, {});
  expect(none.status).toBe(400);
  expect(none.error?.message).toMatch(/Tenant identification required/);
});
