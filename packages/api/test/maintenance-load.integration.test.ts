import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { apiKeyModel, maintenanceRunModel, tenantContext, tenantModel, userModel } from "@sigil/db";
import { cloneTenant } from "@sigil/db/bench";
import { afterAll, beforeAll, expect, test } from "vitest";
import { generateApiKey } from "../src/auth/api-key-format.ts";
import { startApiServer } from "../src/http/node-server.ts";
import { processRunner } from "../src/services/maintenance/runner-identity.ts";
import { ok, signInSystemAdmin, type AdminSession } from "./admin-session.ts";
import { createTenantWithUsers, tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * Issue 8: a tenant request during a whole-installation health run of 2,000 tenants answers in
 * < 200 ms. The machine is shared and its load varies: when requests without a run are already
 * slower, the bound grows with them (a ratio against a baseline measured side by side), so the
 * test tells a run that blocks requests from a busy machine.
 */
const TENANTS = 2_000;
const REQUEST_BOUND_MS = 200;
/** How much slower than the same requests without a run they may be, on a machine where 200 ms is not enough. */
const SLOWDOWN_BOUND = 4;
const BASELINE_MS = 1_500;

let env: TestEnv;
let admin: AdminSession;
let apiKey: string;

/** `count` tenants fast: one provisioned normally, the rest its copies (cloneTenant, a measuring shortcut). */
async function provisionCopies(count: number): Promise<void> {
  const template = await tenantModel.createTenant(tenantInput("template"));
  cloneTenant(env.manager, template.id, count - 1, { slugPrefix: "t" });
}

beforeAll(async () => {
  env = await useTestEnv();
  admin = await signInSystemAdmin();
  await createTenantWithUsers("acme");
  const key = generateApiKey("tenant");
  const acme = await tenantModel.findBySlug("acme");
  if (!acme) throw new Error("no acme");
  await tenantContext.runWithTenant(acme.id, async () => {
    const owner = await userModel.findByEmail("admin@acme.test");
    if (!owner) throw new Error("no acme admin");
    await apiKeyModel.create({ userId: owner.id, name: "load", keyId: key.keyId, secretHash: key.secretHash, scopes: ["prompts:read"] });
  });
  apiKey = key.plain;
  const started = performance.now();
  await provisionCopies(TENANTS - 1);
  console.log(`provisioned ${TENANTS} tenants in ${Math.round(performance.now() - started)} ms`);
}, 300_000);
afterAll(async () => {
  // A failed assertion may leave the run going: stop it before its database is closed.
  for (const abort of processRunner().live.values()) abort.abort();
  while (processRunner().live.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  env.cleanup();
});

/**
 * A tenant's client in a thread of its own (its clock keeps running while the server's thread is
 * busy): requests prompts.list over HTTP every `paceMs` until told to stop, then reports each
 * request's latency and any answer that was not a 200.
 */
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
let stop = false;
parentPort.on("message", () => (stop = true));
(async () => {
  const latencies = [];
  const failures = [];
  while (!stop) {
    const started = performance.now();
    const response = await fetch(workerData.url + "/api/trpc/prompts.list", { headers: { "x-tenant-id": "acme", authorization: "Bearer " + workerData.apiKey } });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    if (response.status !== 200) failures.push(response.status);
    await new Promise((resolve) => setTimeout(resolve, workerData.paceMs));
  }
  parentPort.postMessage({ latencies, failures });
})();
`;

interface ClientReport {
  latencies: number[];
  failures: number[];
}

function startTenantClient(url: string, paceMs: number): { stop: () => Promise<ClientReport> } {
  const worker = new Worker(CLIENT, { eval: true, workerData: { url, apiKey, paceMs } });
  const report = new Promise<ClientReport>((resolve, reject) => {
    worker.once("message", (message: ClientReport) => resolve(message));
    worker.once("error", reject);
  });
  return {
    stop: async () => {
      worker.postMessage("stop");
      const result = await report;
      await worker.terminate();
      return result;
    },
  };
}

test(`a tenant request during a ${TENANTS}-tenant health run answers in < ${REQUEST_BOUND_MS} ms (or ${SLOWDOWN_BOUND}× the slowest without a run), and the run records every tenant`, async () => {
  expect(await tenantModel.count()).toBe(TENANTS);
  const server = await startApiServer();
  try {
    // Warm: the first request compiles and opens what every later one reuses.
    expect((await startTenantClient(server.url, 0).stop()).failures).toEqual([]);
    // The baseline: the same client on the same machine, just before the run.
    const idle = startTenantClient(server.url, 25);
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const baseline = await idle.stop();
    const client = startTenantClient(server.url, 25);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const runStarted = performance.now();
    const run = ok(await admin.call<{ id: string; total: number }>("mutation", "maintenance.start", { kind: "health" }));
    expect(run.total).toBe(TENANTS);
    while ((await maintenanceRunModel.findById(run.id))?.status === "running") await new Promise((resolve) => setTimeout(resolve, 50));
    const runMs = performance.now() - runStarted;
    loop.disable();
    const { latencies, failures } = await client.stop();

    const ended = await maintenanceRunModel.findById(run.id);
    const at = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
    const bound = Math.max(REQUEST_BOUND_MS, SLOWDOWN_BOUND * Math.max(...baseline.latencies));
    console.log(
      `health run of ${TENANTS} tenants: ${Math.round(runMs)} ms; ${latencies.length} prompts.list requests over HTTP meanwhile: ` +
        `p50 ${at(latencies, 0.5).toFixed(1)} ms, p99 ${at(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms ` +
        `(without a run: ${baseline.latencies.length} requests, p50 ${at(baseline.latencies, 0.5).toFixed(1)} ms, max ${Math.max(...baseline.latencies).toFixed(1)} ms; ` +
        `bound ${bound.toFixed(0)} ms); server event loop delay max ${(loop.max / 1e6).toFixed(1)} ms`,
    );
    expect(ended).toMatchObject({ status: "completed", total: TENANTS, done: TENANTS, failed: 0 });
    const results = ok(await admin.call<{ total: number }>("query", "maintenance.results", { runId: run.id, pageSize: 1 }));
    expect(results.total).toBe(TENANTS);
    expect(failures).toEqual([]);
    // The run lasted long enough for requests to interleave with it; each answered within the
    // bound: 200 ms, or 4 times the slowest request without a run when the machine is that busy.
    expect(latencies.length).toBeGreaterThanOrEqual(10);
    expect(baseline.failures).toEqual([]);
    expect(Math.max(...latencies)).toBeLessThan(bound);
  } finally {
    await server.close();
  }
}, 300_000);
