import { HybridDatabaseManager, MAINTENANCE_KINDS, maintenanceRunModel, schemaStatusPage, tenantWorkModel } from "@sigil/db";
import { Counter } from "prom-client";
import { metricsRegistry, registerGauge } from "./metrics.ts";

/**
 * Series read from the storage when scraped: the tenant pool (@sigil/db: tenant-pool.ts), the
 * worker's queue and the schema state of the workspaces, both from indexed reads of the control
 * plane in shared.sqlite (no tenant file is opened). A read that fails leaves its series out of
 * that scrape instead of failing the whole answer; /api/ready says what is wrong.
 */
function orSkip(read: () => void): void {
  try {
    read();
  } catch {
    // Left out of this scrape (see above).
  }
}

/** orSkip for reads that go through a store session. */
async function orSkipAsync(read: () => Promise<void>): Promise<void> {
  try {
    await read();
  } catch {
    // Left out of this scrape (see above).
  }
}

const pool = () => HybridDatabaseManager.getInstance().poolStats();

registerGauge({
  name: "sigil_tenant_handles_open",
  help: "Tenant database files this process holds open (the LRU pool, TENANT_DB_CACHE_SIZE).",
  collect() {
    orSkip(() => this.set(pool().open));
  },
});
registerGauge({
  name: "sigil_tenant_handles_in_use",
  help: "Open tenant files leased by a request or job right now.",
  collect() {
    orSkip(() => this.set(pool().inUse));
  },
});
registerGauge({
  name: "sigil_tenant_pool_capacity",
  help: "TENANT_DB_CACHE_SIZE: how many idle tenant files the pool keeps open.",
  collect() {
    orSkip(() => this.set(pool().capacity));
  },
});

/** A counter whose value is kept elsewhere (the pool counts; this copies it when scraped). */
function mirroredCounter(name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [metricsRegistry],
    collect() {
      orSkip(() => {
        const value = read();
        this.reset();
        this.inc(value);
      });
    },
  });
}

mirroredCounter("sigil_tenant_pool_hits_total", "Tenant file acquisitions served by a handle already open.", () => pool().hits);
mirroredCounter("sigil_tenant_pool_misses_total", "Tenant file acquisitions that opened the file.", () => pool().misses);
mirroredCounter("sigil_tenant_pool_evictions_total", "Idle tenant files closed to keep the pool within its capacity.", () => pool().evictions);

registerGauge({
  name: "sigil_worker_queue_tenants",
  help: "Workspaces with executions waiting (state=pending) or running (state=running), from the control plane.",
  labelNames: ["state"] as const,
  async collect() {
    await orSkipAsync(async () => {
      const depth = await tenantWorkModel.queueDepth();
      this.labels("pending").set(depth.pendingTenants);
      this.labels("running").set(depth.runningTenants);
    });
  },
});

registerGauge({
  name: "sigil_tenant_schema",
  help: "Workspaces by schema state as the migration runner last recorded it: up_to_date, behind (run pnpm sigil migrate), unknown.",
  labelNames: ["state"] as const,
  async collect() {
    try {
      for (const [state, count] of Object.entries((await schemaStatusPage({ pageSize: 1 })).summary)) this.labels(state).set(count);
    } catch {
      // Left out of this scrape (see above).
    }
  },
});

registerGauge({
  name: "sigil_maintenance_last_run_tenants",
  help: "Workspaces by outcome in the latest maintenance run of each kind (health, migrate, repair) started from the admin console.",
  labelNames: ["kind", "outcome"] as const,
  async collect() {
    this.reset();
    try {
      for (const kind of MAINTENANCE_KINDS) {
        const [latest] = await maintenanceRunModel.recent(kind, 1);
        if (latest === undefined) continue;
        for (const [outcome, count] of Object.entries(await maintenanceRunModel.outcomeCounts(latest.id))) this.labels(kind, outcome).set(count);
      }
    } catch {
      // Left out of this scrape (see above).
    }
  },
});
