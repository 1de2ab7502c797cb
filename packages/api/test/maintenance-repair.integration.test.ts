import { existsSync, rmSync } from "node:fs";
import { tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, beforeAll, expect, test } from "vitest";
import { ok, signInSystemAdmin, type AdminSession } from "./admin-session.ts";
import { createTenantWithUsers, useTestEnv, type TestEnv } from "./harness.ts";

interface Run {
  id: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  outcomes?: Record<string, number>;
}
interface ResultsPage {
  data: { tenantId: string; slug: string; outcome: string; detail: string }[];
  total: number;
}
interface UsageRow {
  storage_bytes: number;
  file_count: number;
  prompt_count: number;
}

let env: TestEnv;
let admin: AdminSession;
let damaged: TenantRow;

beforeAll(async () => {
  env = await useTestEnv();
  admin = await signInSystemAdmin();
  damaged = (await createTenantWithUsers("drifted")).tenant;
  await createTenantWithUsers("steady");
});
afterAll(() => env.cleanup());

const usageOf = (tenantId: string) =>
  env.manager
    .getSharedDatabase()
    .$client.prepare<[string], UsageRow>("SELECT storage_bytes, file_count, prompt_count FROM tenant_usage WHERE tenant_id = ?")
    .get(tenantId);

async function runRepair(): Promise<{ run: Run; results: ResultsPage }> {
  const started = ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "repair" }));
  expect(started).toMatchObject({ kind: "repair", total: await tenantModel.count() });
  for (;;) {
    const run = ok(await admin.call<Run>("query", "maintenance.get", { id: started.id }));
    if (run.status !== "running") {
      const results = ok(await admin.call<ResultsPage>("query", "maintenance.results", { runId: run.id, page: 1, pageSize: 100 }));
      return { run, results };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("a repair run recomputes a hand-edited tenant_usage row from the tenant file, says what differed, and a second run finds everything consistent", async () => {
  const truth = usageOf(damaged.id);
  expect(truth).toBeDefined();
  env.manager
    .getSharedDatabase()
    .$client.prepare("UPDATE tenant_usage SET storage_bytes = storage_bytes + 4242, prompt_count = prompt_count + 3 WHERE tenant_id = ?")
    .run(damaged.id);

  const first = await runRepair();
  expect(first.run).toMatchObject({ status: "completed", failed: 0, done: first.run.total });
  const fixed = first.results.data.find((result) => result.tenantId === damaged.id);
  expect(fixed?.outcome).toBe("repaired");
  expect(fixed?.detail).toContain(`storage_bytes ${(truth?.storage_bytes ?? 0) + 4242} → ${truth?.storage_bytes}`);
  expect(fixed?.detail).toContain(`prompt_count ${(truth?.prompt_count ?? 0) + 3} → ${truth?.prompt_count}`);
  expect(first.results.data.filter((result) => result.tenantId !== damaged.id).every((result) => result.outcome === "consistent")).toBe(true);
  expect(usageOf(damaged.id)).toEqual(truth);

  const second = await runRepair();
  expect(second.run).toMatchObject({ status: "completed", failed: 0 });
  expect(second.results.total).toBe(second.run.total);
  expect(second.results.data.map((result) => result.outcome)).toEqual(second.results.data.map(() => "consistent"));
  expect(second.run.outcomes).toEqual({ consistent: second.run.total });
});

test("a tenant whose file is gone is a failure of the repair run, not a crash, and no file is created", async () => {
  const { tenant: ghost } = await createTenantWithUsers("vanished");
  env.manager.closeTenantDatabase(ghost.id);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${env.manager.tenantDatabasePath(ghost.id)}${suffix}`, { force: true });

  const { run, results } = await runRepair();
  expect(run).toMatchObject({ status: "completed", failed: 1 });
  expect(results.data.find((result) => result.tenantId === ghost.id)?.outcome).toBe("failed");
  expect(existsSync(env.manager.tenantDatabasePath(ghost.id))).toBe(false);
});

test("the kind is checked: an unknown kind is a clear error", async () => {
  const response = await admin.call("mutation", "maintenance.start", { kind: "defrag" });
  expect(response.status).toBe(400);
  expect(response.error?.message).toContain('The kind must be "health", "migrate", "repair" or "backup".');
});
