import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { executionModel, promptModel, tenantContext, tenantModel, type ExecutionRow, type PromptRow, type TenantRow } from "@sigil/db";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * Several worker processes on one data directory (test/fixtures/worker-process.ts, each with its
 * own HybridDatabaseManager): claims carry the worker's id and a lease, so no execution runs
 * twice, and a killed worker's execution goes to another worker only once its lease expired.
 * Separate processes on purpose: inside one process a connection's sessions run one at a time
 * (docs/architecture.md, Traps: sessions and the connection lock).
 */

const API_DIR = join(import.meta.dirname, "..");
let env: TestEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await useTestEnv();
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});
afterAll(() => env.cleanup());

interface WorkerProcess {
  child: ChildProcess;
  id: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | NodeJS.Signals | null>;
}

async function startWorker(fixture: "worker-process" | "worker-hang", extraEnv: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", `test/fixtures/${fixture}.ts`], {
    cwd: API_DIR,
    env: { ...process.env, DATA_DIR: env.dataDir, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  const pattern = fixture === "worker-process" ? /^ready (\S+)$/m : /^claimed \S+ (\S+)$/m;
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${fixture} did not start in time\n${stdout}\n${stderr}`)), 30_000);
    const check = () => {
      const match = pattern.exec(stdout);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on("data", check);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`${fixture} exited (${String(how)})\n${stdout}\n${stderr}`));
    });
  });
  return { child, id, stdout: () => stdout, stderr: () => stderr, exited };
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  worker.child.kill("SIGTERM");
  expect(await worker.exited).toBe(0);
}

function createExecution(tenant: TenantRow, prompt: PromptRow, tag: string): Promise<ExecutionRow> {
  return tenantContext.runWithTenant(tenant.id, () =>
    executionModel.create({ promptId: prompt.id, promptVersion: 1, input: { id: tag }, provider: "record", model: "m", fileIds: [] }),
  );
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readRecords(file: string): { tag: string; workerId: string }[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [tag = "", workerId = ""] = line.split(" ");
      return { tag, workerId };
    });
}

async function setUpTenants(prefix: string, count: number): Promise<{ tenant: TenantRow; prompt: PromptRow }[]> {
  const made: { tenant: TenantRow; prompt: PromptRow }[] = [];
  for (let i = 0; i < count; i += 1) {
    const tenant = await tenantModel.createTenant(
      tenantInput(`${prefix}-${i}`, { settings: { features: [], limits: { users: 5, storage: 10, executions_per_month: 100_000 } } }),
    );
    const prompt = await tenantContext.runWithTenant(tenant.id, () =>
      promptModel.create({ name: "p", template: "{{id}}", acceptsFiles: false, responseSchema: null }),
    );
    made.push({ tenant, prompt });
  }
  return made;
}

describe("two worker processes on one data directory", () => {
  test("500 executions over 50 tenants, created while both run: each runs exactly once, all complete", async () => {
    const tenants = await setUpTenants("two", 50);
    const recordFile = join(env.dataDir, "records-two.txt");
    writeFileSync(recordFile, "");
    const workerEnv = { RECORD_FILE: recordFile, DELAY_MS: "2", POLL_MS: "1000", CONCURRENCY: "4" };
    const workers = await Promise.all([startWorker("worker-process", workerEnv), startWorker("worker-process", workerEnv)]);

    const created = new Map<string, { tenant: TenantRow; id: string }>();
    for (let round = 0; round < 10; round += 1) {
      for (const [index, { tenant, prompt }] of tenants.entries()) {
        const tag = `${index}.${round}`;
        created.set(tag, { tenant, id: (await createExecution(tenant, prompt, tag)).id });
      }
    }
    await waitFor(
      async () => {
        for (const { tenant } of tenants) {
          const stats = await tenantContext.runWithTenant(tenant.id, () => executionModel.stats());
          if (stats.byStatus.completed + stats.byStatus.failed < 10) return false;
        }
        return true;
      },
      120_000,
      "all 500 executions settled",
    );
    await Promise.all(workers.map(stopWorker));

    const records = readRecords(recordFile);
    const tags = records.map((record) => record.tag);
    expect(tags).toHaveLength(500);
    expect(new Set(tags).size).toBe(500);
    expect(new Set(tags)).toEqual(new Set(created.keys()));
    const workerIds = new Set(workers.map((worker) => worker.id));
    const perWorker = new Map<string, number>();
    for (const record of records) perWorker.set(record.workerId, (perWorker.get(record.workerId) ?? 0) + 1);
    expect(new Set(perWorker.keys())).toEqual(workerIds);
    for (const [tag, { tenant, id }] of created) {
      const row = await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(id));
      expect(row, tag).toMatchObject({ status: "completed", result: `done ${tag}`, attempts: 1, leaseExpiresAt: null });
      expect(workerIds.has(row?.claimedBy ?? "")).toBe(true);
    }
    for (const worker of workers) expect(worker.stderr()).toBe("");
  });

  test("a worker killed mid-execution: the other worker runs it again only after the lease expired", async () => {
    const [{ tenant, prompt }] = (await setUpTenants("kill", 1)) as [{ tenant: TenantRow; prompt: PromptRow }];
    const recordFile = join(env.dataDir, "records-kill.txt");
    writeFileSync(recordFile, "");
    const execution = await tenantContext.runWithTenant(tenant.id, () =>
      executionModel.create({ promptId: prompt.id, promptVersion: 1, input: { id: "k" }, provider: "template", model: "m", fileIds: [] }),
    );

    // The hanging worker claims it with a 3 s lease, renews it, and is killed.
    const hanging = await startWorker("worker-hang", { LEASE_MS: "3000" });
    hanging.child.kill("SIGKILL");
    expect(await hanging.exited).toBe("SIGKILL");
    const abandoned = await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(execution.id));
    expect(abandoned).toMatchObject({ status: "running", attempts: 1, claimedBy: hanging.id });
    const expiry = abandoned?.leaseExpiresAt?.getTime() ?? 0;
    expect(expiry).toBeGreaterThan(Date.now());

    // The survivor looks for expired leases every 100 ms.
    const survivor = await startWorker("worker-process", { RECORD_FILE: recordFile, RECOVERY_INTERVAL_MS: "100", POLL_MS: "100", LEASE_MS: "10000" });
    await waitFor(
      async () => (await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(execution.id)))?.status === "completed",
      30_000,
      "the killed worker's execution completed by the survivor",
    );
    await stopWorker(survivor);
    const done = await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(execution.id));
    expect(done).toMatchObject({ status: "completed", attempts: 2, claimedBy: survivor.id });
    // Not before the lease expired.
    expect(done?.startedAt?.getTime()).toBeGreaterThanOrEqual(expiry);
    expect(survivor.stdout()).toContain(`recovered ${tenant.id} 1`);
  });
});
