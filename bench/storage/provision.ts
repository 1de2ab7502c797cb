import { tenantModel, type NewTenant, type TenantRow } from "@sigil/db";
import { progress } from "../lib/progress.ts";
import { median, percentile } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

const WARMUP = 10;

export function tenantInput(slug: string): NewTenant {
  return { name: `Provisioned ${slug}`, slug, plan: "free", settings: { features: [], limits: { users: 5, storage: 100, executions_per_month: 1000 } } };
}

/**
 * Times `tenantModel.createTenant` end to end: slug check, new file with every tenant migration
 * applied (and its WAL checkpointed on close), registry insert. The first calls warm up the JIT
 * and statement caches and are not counted. Returns the rows and the tenants it created.
 */
export async function measureProvisioning(samples: number, synchronous: string): Promise<{ rows: BenchRow[]; created: TenantRow[] }> {
  const created: TenantRow[] = [];
  const durations: number[] = [];
  const total = WARMUP + samples;
  const provisioning = progress(`provisioning ${samples} tenants (+${WARMUP} warm-up)`, total);
  for (let index = 0; index < total; index += 1) {
    const input = tenantInput(`provision-${String(index).padStart(4, "0")}`);
    const started = performance.now();
    created.push(await tenantModel.createTenant(input));
    const elapsed = performance.now() - started;
    if (index >= WARMUP) durations.push(elapsed);
    if (index % 10 === 0) provisioning.tick(index);
  }
  provisioning.finish();
  const label = `provision one tenant (createTenant), n=${samples}`;
  return {
    created,
    rows: [
      {
        benchmark: `${label}: median`,
        value: median(durations),
        unit: "ms",
        target: { comparison: "<=", value: 20 },
        note: `synchronous=${synchronous}; includes the checkpoint and fsyncs of closing the new file's WAL`,
      },
      { benchmark: `${label}: p99`, value: percentile(durations, 99), unit: "ms" },
    ],
  };
}
