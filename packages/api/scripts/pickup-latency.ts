/**
 * `pnpm --filter @sigil/api pickup-latency [tenants] [executions]`: how long a new execution waits
 * before a worker starts it. Provisions `tenants` (default 300) in a temporary data directory,
 * starts scripts/worker.ts there as its own process (default settings: poll interval 1 s, woken
 * by the signal file), creates `executions` (default 50) one at a time at random tenants with
 * 50–250 ms between them, and prints the percentiles of started_at − created_at (both stamped by
 * SQLite's writers on this machine's clock). Not a test: a measurement for the report and the
 * benchmarks. The temporary directory is removed at the end.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executionModel, HybridDatabaseManager, promptModel, tenantContext, tenantModel, type ExecutionRow, type PromptRow, type TenantRow } from "@sigil/db";

const tenantCount = Number(process.argv[2] ?? 300);
const executionCount = Number(process.argv[3] ?? 50);
const dataDir = mkdtempSync(join(tmpdir(), "sigil-pickup-"));
const manager = HybridDatabaseManager.configure({ dataDir });
await manager.runSharedMigrations();

const tenants: { tenant: TenantRow; prompt: PromptRow }[] = [];
for (let i = 0; i < tenantCount; i += 1) {
  const tenant = await tenantModel.createTenant({
    name: `t${i}`,
    slug: `pickup-${i}`,
    plan: "pro",
    settings: { features: [], limits: { users: 5, storage: 10, executions_per_month: 100_000 } },
  });
  const prompt = await tenantContext.runWithTenant(tenant.id, () =>
    promptModel.create({ name: "p", template: "{{n}}", acceptsFiles: false, responseSchema: null }),
  );
  tenants.push({ tenant, prompt });
}

const worker = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "worker.ts")], {
  env: { ...process.env, DATA_DIR: dataDir },
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
await new Promise<void>((resolve, reject) => {
  worker.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("Ctrl-C to stop")) resolve();
  });
  worker.on("exit", (code) => reject(new Error(`the worker exited (${String(code)}):\n${output}`)));
});
await new Promise((resolve) => setTimeout(resolve, 1_500)); // its first ticks are over

const created: { tenant: TenantRow; row: ExecutionRow }[] = [];
for (let n = 0; n < executionCount; n += 1) {
  const target = tenants[Math.floor(Math.random() * tenants.length)];
  if (!target) continue;
  const row = await tenantContext.runWithTenant(target.tenant.id, () =>
    executionModel.create({ promptId: target.prompt.id, promptVersion: 1, input: { n }, provider: "template", model: "m" }),
  );
  created.push({ tenant: target.tenant, row });
  await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
}

const latencies: number[] = [];
const deadline = Date.now() + 30_000;
for (const { tenant, row } of created) {
  for (;;) {
    const current = await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(row.id));
    if (current?.startedAt && current.status !== "running") {
      latencies.push(current.startedAt.getTime() - row.createdAt.getTime());
      break;
    }
    if (Date.now() > deadline) throw new Error(`execution ${row.id} was not picked up within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
worker.kill("SIGTERM");
await new Promise((resolve) => worker.on("exit", resolve));
manager.close();
rmSync(dataDir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
console.log(
  `pickup latency over ${latencies.length} executions, ${tenantCount} tenants (worker: poll 1 s, woken by the signal file): ` +
    `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
);
