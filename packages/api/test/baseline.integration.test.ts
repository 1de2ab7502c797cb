import { afterAll, beforeAll, expect, test } from "vitest";
import { startApiServer } from "../src/http/node-server.ts";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";

/** The HTTP benchmark's baseline route: off unless enabled, and never a way around authentication. */
let env: TestEnv;
let apiKey: string;
beforeAll(async () => {
  env = await useTestEnv();
  await createTenantWithUsers("acme");
  const cookie = await login("acme", "admin@acme.test");
  const created = await call<{ plainKey: string }>("mutation", "apiKeys.create", { name: "bench", scopes: ["prompts:read"] }, { tenant: "acme", cookie });
  apiKey = created.data?.plainKey ?? "";
});
afterAll(() => env.cleanup());

/** An API server started with SIGIL_BENCH_BASELINE as given (the handler reads it once, at start). */
async function serverWith(baseline: string | undefined) {
  if (baseline === undefined) delete process.env.SIGIL_BENCH_BASELINE;
  else process.env.SIGIL_BENCH_BASELINE = baseline;
  try {
    const server = await startApiServer();
    const request = (headers: Record<string, string>) => fetch(`${server.url}/api/bench-baseline/promptsList`, { headers });
    return { request, close: server.close };
  } finally {
    delete process.env.SIGIL_BENCH_BASELINE;
  }
}

test("is a 404 unless SIGIL_BENCH_BASELINE=1", async () => {
  const { request, close } = await serverWith(undefined);
  expect((await request({ "x-tenant-id": "acme", authorization: `Bearer ${apiKey}` })).status).toBe(404);
  await close();
});

test("when enabled: serves the page with a valid key, refuses a bad key and an unknown tenant", async () => {
  const { request, close } = await serverWith("1");
  expect((await request({ "x-tenant-id": "acme", authorization: `Bearer ${apiKey}` })).status).toBe(200);
  expect((await request({ "x-tenant-id": "acme", authorization: "Bearer sgl_nope" })).status).toBe(401);
  expect((await request({ "x-tenant-id": "acme" })).status).toBe(401);
  expect((await request({ "x-tenant-id": "initech", authorization: `Bearer ${apiKey}` })).status).toBe(404);
  await close();
});
