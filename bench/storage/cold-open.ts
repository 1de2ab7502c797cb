import type { HybridDatabaseManager } from "@sigil/db";
import { progress } from "../lib/progress.ts";
import { median, percentile } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

const WARMUP = 200;

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    const a = copy[index];
    const b = copy[other];
    if (a === undefined || b === undefined) continue;
    copy[index] = b;
    copy[other] = a;
  }
  return copy;
}

/** Tenants in random order, skipping any our pool already holds: every sample must be a real open. */
function* coldTenants(manager: HybridDatabaseManager, ids: readonly string[]): Generator<string> {
  for (;;) {
    for (const id of shuffled(ids)) if (!manager.isTenantOpen(id)) yield id;
  }
}

/** Times acquire + release of `count` tenants the pool does not hold; `afterSample` runs untimed. */
function sampleColdOpens(manager: HybridDatabaseManager, ids: readonly string[], count: number, label: string, afterSample: (id: string) => void): number[] {
  const durations: number[] = [];
  const tenants = coldTenants(manager, ids);
  const sampling = progress(label, WARMUP + count);
  for (let index = 0; index < WARMUP + count; index += 1) {
    const next = tenants.next();
    if (next.done === true) throw new Error("ran out of tenants");
    const id = next.value;
    if (manager.isTenantOpen(id)) throw new Error(`tenant ${id} was already open; the sample would not be cold`);
    const started = performance.now();
    manager.acquireTenantDatabase(id).release();
    const elapsed = performance.now() - started;
    afterSample(id);
    if (index >= WARMUP) durations.push(elapsed);
    if (index % 100 === 0) sampling.tick(index);
  }
  sampling.finish();
  return durations;
}

/**
 * Cold open of one tenant among `ids` (10,000 files): registry lookup, open with pragmas, schema
 * version check. "Cold" means cold in our pool; the OS page cache is warm, as it is on a server
 * that recently touched the file. Two situations:
 * - pool has room: the handle is closed (untimed) after each sample, so nothing is evicted;
 * - pool full: the pool is filled to TENANT_DB_CACHE_SIZE first, so every open also closes the
 *   least recently used idle handle, the steady state of a server with more tenants than its cap.
 */
export function measureColdOpen(manager: HybridDatabaseManager, ids: readonly string[], samples: number): BenchRow[] {
  const capacity = manager.poolStats().capacity;
  if (ids.length <= capacity) throw new Error(`need more tenants (${ids.length}) than the pool holds (${capacity})`);
  const roomy = sampleColdOpens(manager, ids, samples, "cold opens, pool with room", (id) => manager.closeTenantDatabase(id));

  const filling = progress(`filling the pool to its capacity (${capacity})`, capacity);
  for (const [index, id] of ids.slice(0, capacity).entries()) {
    manager.acquireTenantDatabase(id).release();
    filling.tick(index + 1);
  }
  filling.finish();
  const full = sampleColdOpens(manager, ids, samples, "cold opens, pool full (evicts LRU)", () => undefined);
  if (manager.poolStats().open > capacity) throw new Error("the pool grew past its capacity; idle handles were not evicted");

  const label = `cold open 1 of ${ids.length.toLocaleString("en-US")} tenants`;
  const fullLabel = `${label}, pool full (+ LRU eviction, cap ${capacity})`;
  return [
    {
      benchmark: `${label}: median`,
      value: median(roomy),
      unit: "ms",
      target: { comparison: "<=", value: 1 },
      note: `acquireTenantDatabase + release, n=${samples} random tenants not in the pool; OS page cache warm`,
    },
    { benchmark: `${label}: p99`, value: percentile(roomy, 99), unit: "ms" },
    { benchmark: `${fullLabel}: median`, value: median(full), unit: "ms", target: { comparison: "<=", value: 1 } },
    { benchmark: `${fullLabel}: p99`, value: percentile(full, 99), unit: "ms" },
  ];
}
