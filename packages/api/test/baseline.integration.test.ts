import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { handleBaselineRequest } from "../src/http/baseline.ts";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";

/** The HTTP benchmark's baseline route: off unless enabled, and never a way around authentication. */
let env: TestEnv;
let apiKey: string;
beforeAll(async () => {
  env = useTestEnv();
  await createTenantWithUsers("acme");
  const cookie = await login("acme", "admin@acme.test");
  const created = await call<{ plainKey: string }>("mutation", "apiKeys.create", { name: "bench", scopes: ["prompts:read"] }, { tenant: "acme", cookie });
  apiKey = created.data?.plainKey ?? "";
});
afterAll(() => env.cleanup());
afterEach(() => {
  delete process.env.SIGIL_BENCH_BASELINE;
});

const request = (headers: Record<string, string>) =>
  handleBaselineRequest(new Request("http://127.0.0.1/api/bench-baseline/promptsList", { headers: { host: "127.0.0.1", ...headers } }));

test("is a 404 unless SIGIL_BENCH_BASELINE=1", async () => {
  expect((await request({ "x-tenant-id": "acme", authorization: `Bearer ${apiKey}` })).status).toBe(404);
});

test("when enabled: serves the page with a valid key, refuses a bad key and an unknown tenant", async () => {
  process.env.SIGIL_BENCH_BASELINE = "1";
  expect((await request({ "x-tenant-id": "acme", authorization: `Bearer ${apiKey}` })).status).toBe(200);
  expect((await request({ "x-tenant-id": "acme", authorization: "Bearer sgl_nope" })).status).toBe(401);
  expect((await request({ "x-tenant-id": "acme" })).status).toBe(401);
  expect((await request({ "x-tenant-id": "initech", authorization: `Bearer ${apiKey}` })).status).toBe(404);
});
