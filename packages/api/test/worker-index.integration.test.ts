import { existsSync } from "node:fs";
import {
  executionModel,
  promptModel,
  tenantContext,
  tenantModel,
  tenantWorkModel,
  signalWork,
  workSignalPath,
  type ExecutionRow,
  type PromptRow,
  type TenantRow,
} from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { ExecutionWorker, templateProvider, type ExecutionProvider, type WorkerEvent } from "../src/index.ts";
import { openTenantFileDescriptors, tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * The worker and its pending-work index in shared.sqlite (packages/db/src/models/tenant-work.ts):
 * an idle worker opens no tenant file, tenants are served fairly, a lost claim's outcome is
 * dropped, and a new execution wakes a sleeping worker.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
});
afterAll(() => env.cleanup());

const inTenant = <T>(tenant: TenantRow, fn: () => Promise<T>) => tenantContext.runWithTenant(tenant.id, fn);

async function newTenant(slug: string): Promise<{ tenant: TenantRow; prompt: PromptRow }> {
  const tenant = await tenantModel.createTenant(
    tenantInput(slug, { settings: { features: [], limits: { users: 5, storage: 10, executions_per_month: 100_000 } } }),
  );
  const prompt = await inTenant(tenant, () => promptModel.create({ name: "p", template: "{{n}}", acceptsFiles: false, responseSchema: null }));
  return { tenant, prompt };
}

function createExecution(tenant: TenantRow, prompt: PromptRow, n: number, provider = "template"): Promise<ExecutionRow> {
  return inTenant(tenant, () => executionModel.create({ promptId: prompt.id, promptVersion: 1, input: { n }, provider, model: "m" }));
}

async function drain(worker: ExecutionWorker): Promise<number> {
  let total = 0;
  for (;;) {
    const tick = await worker.runOnce();
    expect(tick.errors).toEqual([]);
    total += tick.processed;
    if (tick.processed === 0) return total;
  }
}

describe("an idle worker", () => {
  test("with 300 tenants, after their work was done, ticks without opening a single tenant file", async () => {
    const tenants: { tenant: TenantRow; prompt: PromptRow }[] = [];
    for (let i = 0; i < 300; i += 1) tenants.push(await newTenant(`idle-${i}`));
    // Some had work: their marks and lease checks must be gone once it is done.
    for (const { tenant, prompt } of tenants.slice(0, 5)) await createExecution(tenant, prompt, 1);
    const worker = new ExecutionWorker({ recoveryIntervalMs: 1 });
    expect(await drain(worker)).toBe(5);
    for (const { tenant } of tenants) expect(await tenantWorkModel.find(tenant.id)).toMatchObject({ pendingSince: null, leaseCheckAt: null });

    for (const { tenant } of tenants) env.manager.closeTenantDatabase(tenant.id);
    expect(env.manager.poolStats().open).toBe(0);
    expect(openTenantFileDescriptors(env.dataDir)).toEqual([]);
    for (let tick = 0; tick < 50; tick += 1) {
      expect(await worker.runOnce()).toMatchObject({ processed: 0, recovered: { retried: 0, failed: 0 }, errors: [] });
      await new Promise((resolve) => setTimeout(resolve, 2)); // recovery (every 1 ms here) is due on every tick
    }
    expect(env.manager.poolStats().open).toBe(0);
    expect(openTenantFileDescriptors(env.dataDir)).toEqual([]);
    for (const { tenant } of tenants) await tenantModel.suspend(tenant.id);
  });
});

describe("fairness", () => {
  test("a tenant with 200 pending executions delays another tenant's execution by at most one round, also one created during the drain", async () => {
    const busy = await newTenant("fair-busy");
    const other = await newTenant("fair-other");
    for (let n = 0; n < 200; n += 1) await createExecution(busy.tenant, busy.prompt, n, "order");
    const first = await createExecution(other.tenant, other.prompt, 1000, "order");
    let late: ExecutionRow | undefined;
    const order: string[] = [];
    const orderProvider: ExecutionProvider = {
      name: "order",
      kind: "test",
      run: async (request, signal) => {
        order.push(`${tenantContext.tryGetCurrentTenantId() === other.tenant.id ? "other" : "busy"}:${String(request.input.n)}`);
        // The 12th execution creates one more for the other tenant, in the middle of the busy tenant's backlog.
        if (order.length === 12) late = await createExecution(other.tenant, other.prompt, 2000, "order");
        return templateProvider.run(request, signal);
      },
    };
    const worker = new ExecutionWorker({ providers: { order: orderProvider }, concurrency: 1 });
    expect(await drain(worker)).toBe(202);
    expect(late).toBeDefined();
    expect(order.indexOf("other:1000")).toBeLessThanOrEqual(1);
    // Created during the 12th (index 11): at most the busy tenant's next turn comes before it.
    expect(order.indexOf("other:2000")).toBeGreaterThan(11);
    expect(order.indexOf("other:2000")).toBeLessThanOrEqual(13);
    expect(order.filter((entry) => entry.startsWith("busy:"))).toHaveLength(200);
    expect((await inTenant(other.tenant, () => executionModel.findById(first.id)))?.status).toBe("completed");
    await tenantModel.suspend(busy.tenant.id);
    await tenantModel.suspend(other.tenant.id);
  });
});

describe("a lost claim", () => {
  test("the worker whose claim was given back drops its outcome and says so; the new holder's outcome stands", async () => {
    const { tenant, prompt } = await newTenant("lost-claim");
    const execution = await createExecution(tenant, prompt, 1, "gated");
    let open: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let claimed: (() => void) | undefined;
    const claimedNow = new Promise<void>((resolve) => (claimed = resolve));
    const slow: ExecutionProvider = {
      name: "gated",
      kind: "test",
      run: async () => {
        claimed?.();
        await gate;
        return { output: "from the slow worker", usage: null };
      },
    };
    const events: WorkerEvent[] = [];
    const slowWorker = new ExecutionWorker({ providers: { gated: slow }, concurrency: 1, leaseMs: 30_000, onEvent: (event) => events.push(event) });
    const slowTick = slowWorker.runOnce();
    await claimedNow;

    // As if its lease had expired (its heartbeat did not get through): recovery gives the execution back…
    expect(await inTenant(tenant, () => executionModel.recoverExpiredLeases(3, new Date(Date.now() + 60_000)))).toEqual({
      retried: 1,
      failed: 0,
      batchesCompleted: [],
    });
    // …and another worker runs it.
    const fast: ExecutionProvider = { name: "gated", kind: "test", run: async () => ({ output: "from the fast worker", usage: null }) };
    const fastWorker = new ExecutionWorker({ providers: { gated: fast } });
    expect(await fastWorker.runOnce()).toMatchObject({ processed: 1, completed: 1 });

    open?.();
    expect(await slowTick).toMatchObject({ processed: 1 });
    const row = await inTenant(tenant, () => executionModel.findById(execution.id));
    expect(row).toMatchObject({ status: "completed", result: "from the fast worker", attempts: 2, claimedBy: fastWorker.id });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "error", message: expect.stringMatching(/no longer held by this worker .* the outcome was dropped/) as unknown }),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: "execution", executionId: execution.id, recorded: false }));
    await tenantModel.suspend(tenant.id);
  });
});

describe("waking", () => {
  test("a sleeping worker (poll interval 60 s) picks up a new execution at once, through the signal file", async () => {
    const { tenant, prompt } = await newTenant("wake");
    const worker = new ExecutionWorker({ pollIntervalMs: 60_000 });
    worker.start();
    try {
      expect(existsSync(workSignalPath(env.dataDir))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300)); // its first tick is over: it sleeps
      const execution = await createExecution(tenant, prompt, 7);
      const deadline = Date.now() + 10_000;
      let row = await inTenant(tenant, () => executionModel.findById(execution.id));
      while (row?.status !== "completed" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        row = await inTenant(tenant, () => executionModel.findById(execution.id));
      }
      expect(row).toMatchObject({ status: "completed", result: "7" });
    } finally {
      await worker.stop();
      await tenantModel.suspend(tenant.id);
    }
  });

  test("an idle worker that can be signalled looks at nothing: no tick for a second with a 20 ms poll interval", async () => {
    const worker = new ExecutionWorker({ pollIntervalMs: 20, recoveryIntervalMs: 20 });
    const listed = vi.spyOn(tenantWorkModel, "listPending");
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // its first tick is over: it sleeps
      listed.mockClear();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(listed).not.toHaveBeenCalled();
    } finally {
      listed.mockRestore();
      await worker.stop();
    }
  });

  test("an idle worker wakes when a lease another worker took is due for a check, and not before", async () => {
    const { tenant } = await newTenant("peer-lease");
    const worker = new ExecutionWorker({ recoveryIntervalMs: 20 });
    const checked = vi.spyOn(tenantWorkModel, "listDueLeaseChecks");
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      checked.mockClear();
      // A peer's claim (its lease is checked 600 ms from now), and the signal every claim sends.
      const dueAt = Date.now() + 600;
      await tenantWorkModel.recordClaim(tenant.id, dueAt);
      signalWork(env.dataDir);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const beforeDue = checked.mock.calls.filter(([now]) => now >= dueAt).length;
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(beforeDue).toBe(0);
      expect(checked.mock.calls.some(([now]) => now >= dueAt)).toBe(true);
    } finally {
      checked.mockRestore();
      await worker.stop();
      await tenantWorkModel.setLeaseCheck(tenant.id, null);
      await tenantModel.suspend(tenant.id);
    }
  });
});
