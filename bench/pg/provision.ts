import { randomUUID } from "node:crypto";
import type { HybridDatabaseManager } from "@sigil/db";
import type { PgSchemaBench } from "@sigil/db/bench";
import { progress } from "../lib/progress.ts";
import { median, percentile } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

const WARMUP = 5;

/**
 * Provisions `samples` tenants on each engine, alternating one SQLite file and one PostgreSQL
 * schema so that a slow spell of the shared disk hurts both sides alike. Each is the storage step
 * alone (every tenant migration applied, nothing registered): provisionTenantDatabase with its
 * WAL checkpointed on close, provisionTenantSchema's one transaction and its commit.
 */
export async function measureSchemaProvisioning(manager: HybridDatabaseManager, pg: PgSchemaBench, samples: number): Promise<BenchRow[]> {
  const sqlite: number[] = [];
  const postgres: number[] = [];
  const ticker = progress(`provisioning ${samples} SQLite files and ${samples} PostgreSQL schemas (+${WARMUP} warm-up each)`, samples + WARMUP);
  for (let index = 0; index < samples + WARMUP; index += 1) {
    let started = performance.now();
    await manager.provisionTenantDatabase(randomUUID(), () => undefined);
    const file = performance.now() - started;
    started = performance.now();
    await pg.provision(randomUUID());
    const schema = performance.now() - started;
    if (index >= WARMUP) {
      sqlite.push(file);
      postgres.push(schema);
    }
    if (index % 10 === 0) ticker.tick(index);
  }
  ticker.finish();
  const label = `provision one tenant (every tenant migration, no registry row), n=${samples}`;
  return [
    {
      benchmark: `${label}: SQLite file, median`,
      value: median(sqlite),
      unit: "ms",
      note: `provisionTenantDatabase, synchronous=${manager.options.synchronous}; includes the checkpoint and fsyncs of closing the new file's WAL`,
    },
    { benchmark: `${label}: SQLite file, p99`, value: percentile(sqlite, 99), unit: "ms" },
    {
      benchmark: `${label}: PostgreSQL schema, median`,
      value: median(postgres),
      unit: "ms",
      note: `provisionTenantSchema: CREATE SCHEMA, the migrations, the history and the grants in one transaction; ${pg.description}`,
    },
    { benchmark: `${label}: PostgreSQL schema, p99`, value: percentile(postgres, 99), unit: "ms" },
    { benchmark: `${label}: PostgreSQL / SQLite, medians`, value: median(postgres) / median(sqlite), unit: "×" },
  ];
}
