import { monitorEventLoopDelay } from "node:perf_hooks";
import { ExecutionWorker, type WorkerEvent } from "@sigil/api";
import type { HybridDatabaseManager } from "@sigil/db";
import { sqliteOpenCount } from "@sigil/db/bench";
import { step } from "../lib/progress.ts";
import { callProcedure, type CallOptions } from "../lib/trpc-call.ts";
import type { WorkTenant } from "./provision.ts";

/**
 * Sampling under a time budget: on code that walks every tenant a single call can take seconds
 * at 1,000 tenants and a minute at 10,000, so each measurement stops at `budgetMs` (after at least
 * `minimum` samples) and the table says how many it took.
 */
export interface Budget {
  samples: number;
  minimum: number;
  budgetMs: number;
}

export async function sampleWithin(budget: Budget, label: string, once: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  const started = performance.now();
  step(`${label}: up to ${budget.samples} samples or ${budget.budgetMs / 1000} s`);
  while (values.length < budget.samples && (values.length < budget.minimum || performance.now() - started < budget.budgetMs)) {
    values.push(await once());
  }
  return values;
}

const PICKUP_TIMEOUT_MS = 300_000;

export async function timedCall(type: "query" | "mutation", path: string, input: unknown, options: CallOptions): Promise<number> {
  const started = performance.now();
  await callProcedure(type, path, input, options);
  return performance.now() - started;
}

/**
 * The admin overview's load (apps/web/src/components/admin/overview.tsx: admin.stats and
 * tenants.list at once) while a probe records the event loop's delay: the longest block is how
 * long every other request of this server would have waited.
 */
export async function overviewLoad(admin: CallOptions, listInput: unknown): Promise<{ wallMs: number; longestBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  await Promise.all([callProcedure("query", "admin.stats", undefined, admin), callProcedure("query", "tenants.list", listInput, admin)]);
  const wallMs = performance.now() - started;
  // One more turn so a block at the very end is recorded too.
  await new Promise((resolve) => setTimeout(resolve, 10));
  histogram.disable();
  return { wallMs, longestBlockMs: histogram.max / 1e6 };
}

/**
 * One tick of an idle worker (no execution pending anywhere): wall time, CPU time, SQLite files
 * opened. Every tenant handle is closed first (untimed), so a tick that touches a tenant file has
 * to open it and is counted, whatever the pool held before.
 */
export async function idleTick(
  worker: ExecutionWorker,
  manager: HybridDatabaseManager,
  tenantIds: readonly string[],
): Promise<{ wallMs: number; cpuMs: number; opened: number }> {
  for (const id of tenantIds) manager.closeTenantDatabase(id);
  const opensBefore = sqliteOpenCount();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await worker.runOnce();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (result.processed > 0) throw new Error(`the idle tick ran ${result.processed} execution(s); nothing should be pending`);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, opened: sqliteOpenCount() - opensBefore };
}

/**
 * Pickup latency: with the worker's polling loop running (default poll interval), an execution is
 * created through `executions.create` at a random moment, and timed until the worker reports its
 * outcome (the template provider answers in well under a millisecond, so this is the wait).
 */
export async function pickupLatencies(work: WorkTenant, budget: Budget): Promise<number[]> {
  const waiting = new Map<string, (at: number) => void>();
  const early = new Map<string, number>();
  const onEvent = (event: WorkerEvent) => {
    if (event.type !== "execution") return;
    const at = performance.now();
    const resolve = waiting.get(event.executionId);
    if (resolve) resolve(at);
    else early.set(event.executionId, at);
  };
  const worker = new ExecutionWorker({ onEvent });
  const tenantCall: CallOptions = { host: "127.0.0.1", headers: { "x-tenant-id": work.tenant.slug }, apiKey: work.apiKey };
  worker.start();
  try {
    return await sampleWithin(budget, "pickup latency of new executions (idle worker, woken by the signal file)", async () => {
      // A random moment, as a user's click would be (the worker sleeps until it is signalled).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_000));
      const started = performance.now();
      const created = await callProcedure<{ id: string }>("mutation", "executions.create", { promptId: work.promptId, input: { name: "bench" } }, tenantCall);
      const id = created.data.id;
      const doneAt =
        early.get(id) ??
        (await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`execution ${id} was not run within ${PICKUP_TIMEOUT_MS / 1000} s`)), PICKUP_TIMEOUT_MS);
          waiting.set(id, (at) => {
            clearTimeout(timer);
            resolve(at);
          });
        }));
      waiting.delete(id);
      return doneAt - started;
    });
  } finally {
    await worker.stop();
  }
}
