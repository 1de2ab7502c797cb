import { HybridDatabaseManager } from "@sigil/db";
import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

const SAMPLES = 5;

/**
 * Constructing a manager opens shared.sqlite and sweeps the data directory for orphan tenant
 * files (one readdir plus one registry scan), so its cost grows with the number of tenants. Every
 * CLI command and server start pays it once.
 */
export function measureManagerStartup(dataDir: string, tenantCount: number): BenchRow[] {
  const durations: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    const started = performance.now();
    const manager = new HybridDatabaseManager({ dataDir });
    durations.push(performance.now() - started);
    manager.close();
  }
  return [
    {
      benchmark: `start a HybridDatabaseManager over ${tenantCount.toLocaleString("en-US")} tenant files: median of ${SAMPLES}`,
      value: median(durations),
      unit: "ms",
    },
  ];
}
