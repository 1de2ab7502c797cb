/**
 * The worker process's slow timer measures tenant files into the control plane at start and then
 * every interval; stopping it waits for the run in progress and schedules nothing more.
 */
import { statSync, writeFileSync } from "node:fs";
import { tenantModel } from "@sigil/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startUsageRefresh } from "../src/worker/index.ts";
import { tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
});
afterAll(() => env.cleanup());

function measured(tenantId: string) {
  return env.manager
    .getSharedDatabase()
    .$client.prepare<[string], { database_bytes: number; database_measured_at: number | null }>(
      "SELECT database_bytes, database_measured_at FROM tenant_usage WHERE tenant_id = ?",
    )
    .get(tenantId);
}

test("measures every tenant's file and -wal at start, again after the interval, and stops cleanly", async () => {
  const tenants = [];
  for (const slug of ["size-a", "size-b", "size-c"]) tenants.push(await tenantModel.createTenant(tenantInput(slug)));
  const [first] = tenants;
  if (!first) throw new Error("no tenant");
  const reports: number[] = [];
  let resolveFirst: () => void = () => undefined;
  const firstRun = new Promise<void>((resolve) => (resolveFirst = resolve));
  const refresh = startUsageRefresh({
    intervalSeconds: 1,
    chunkSize: 2,
    onReport: (report) => {
      reports.push(report.measured);
      resolveFirst();
    },
  });
  await firstRun;
  const path = env.manager.tenantDatabasePath(first.id);
  expect(reports).toEqual([3]);
  expect(measured(first.id)).toMatchObject({ database_bytes: statSync(path).size });
  // The file grows (a WAL appears); the next run, a second later, records it.
  writeFileSync(`${path}-wal`, Buffer.alloc(4_096));
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(reports.length).toBeGreaterThanOrEqual(2);
  expect(measured(first.id)?.database_bytes).toBe(statSync(path).size + 4_096);
  await refresh.stop();
  const runs = reports.length;
  await new Promise((resolve) => setTimeout(resolve, 1_200));
  expect(reports.length).toBe(runs);
});
