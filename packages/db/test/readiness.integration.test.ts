/**
 * The storage probes of /api/ready (src/readiness.ts) go through the stores' sessions: they wait
 * for this process's own open sessions (bounded by their timeout) and leave nothing behind.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { tenantModel } from "../src/models/tenant.ts";
import { nextActiveTenant, probeSharedWrite, probeTenantFile } from "../src/readiness.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

const env = await useTempDataDir();
afterAll(() => env.cleanup());

let ids: string[] = [];
beforeAll(async () => {
  const created = await createTenants("ready-a", "ready-b", "ready-c");
  ids = created.map((tenant) => tenant.id).sort();
});

test("another connection holding the write lock fails the probe within its timeout; the connection's busy timeout is restored", async () => {
  // Another process's connection (a CLI run, a stuck writer), as a manager of its own.
  const other = new HybridDatabaseManager({ dataDir: env.dataDir });
  const blocker = other.getSharedDatabase().$client;
  blocker.exec("BEGIN IMMEDIATE");
  try {
    const started = performance.now();
    await expect(probeSharedWrite(50)).rejects.toThrow(/locked/);
    expect(performance.now() - started).toBeLessThan(1_000);
  } finally {
    blocker.exec("ROLLBACK");
    other.close();
  }
  const busyTimeout = env.manager.getSharedDatabase().$client.pragma("busy_timeout", { simple: true });
  expect(busyTimeout).toBe(env.manager.options.busyTimeoutMs);
  await probeSharedWrite(500);
});

test("a session of this process holding shared.sqlite longer than the timeout fails the probe; the probe then passes again", async () => {
  let release = () => {};
  const held = env.manager.sharedStore().session("write", () => new Promise<void>((resolve) => (release = resolve)));
  try {
    const started = performance.now();
    await expect(probeSharedWrite(50)).rejects.toThrow(/held in this process for more than 50 ms/);
    expect(performance.now() - started).toBeLessThan(1_000);
  } finally {
    release();
    await held;
  }
  await probeSharedWrite(500);
});

test("the sampled tenant goes round the active tenants in id order, skipping the others", async () => {
  const [first, second, third] = ids;
  if (first === undefined || second === undefined || third === undefined) throw new Error("three tenants expected");
  await tenantModel.suspend(second);
  try {
    expect((await nextActiveTenant(""))?.tenantId).toBe(first);
    expect((await nextActiveTenant(first))?.tenantId).toBe(third);
    expect((await nextActiveTenant(third))?.tenantId).toBe(first);
  } finally {
    await tenantModel.reactivate(second);
  }
  await probeTenantFile(first);
  await expect(probeTenantFile("00000000-0000-4000-8000-000000000000")).rejects.toThrow(/does not exist|not found/i);
});
