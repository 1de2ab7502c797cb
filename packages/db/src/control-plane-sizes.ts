import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { asc, eq, gt } from "drizzle-orm";
import { HybridDatabaseManager } from "./hybrid-manager.ts";

export interface SizeRefreshReport {
  measured: number;
  durationMs: number;
}

export interface SizeRefreshOptions {
  /** Tenants measured (one stat of the file and one of its -wal each) per write and yield (default 200). */
  chunkSize?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * Measures every tenant's file (and its `-wal`) on disk, or its PostgreSQL schema, and records it in `tenant_usage`
 * (`database_bytes`, `database_measured_at`): only stats, never an open, in chunks of one shared
 * transaction each with a yield to the event loop between them, so a process with 10,000 tenants
 * keeps answering. Run on a slow timer by the execution worker (USAGE_REFRESH_INTERVAL_SECONDS):
 * a file's size changes with every write, and nobody needs it to the second.
 */
export async function refreshDatabaseSizes(options: SizeRefreshOptions = {}): Promise<SizeRefreshReport> {
  const started = performance.now();
  const manager = HybridDatabaseManager.getInstance();
  const shared = manager.sharedStore();
  const chunkSize = Math.max(1, options.chunkSize ?? 200);
  let after = "";
  let measured = 0;
  for (;;) {
    if (options.signal?.aborted || manager.isClosed) break;
    // Keyset pages: a tenant created or deleted meanwhile never shifts the rest.
    const ids = await shared.session("read", async (s) => {
      const { tenants } = s.t;
      return s.db.select({ id: tenants.id, placement: tenants.placement }).from(tenants).where(gt(tenants.id, after)).orderBy(asc(tenants.id)).limit(chunkSize);
    });
    const last = ids.at(-1)?.id;
    if (last === undefined) break;
    // Measured outside any session: stats of files (or a moved tenant's schema), nothing to hold a lock for.
    const sizes = await Promise.all(
      ids.map(async ({ id, placement }) => ({
        id,
        bytes: await manager.tenantDatabaseBytes(id, placement),
      })),
    );
    const at = options.now?.() ?? new Date();
    if (manager.isClosed) break;
    await shared.session("write", async (s) => {
      const { tenantUsage } = s.t;
      for (const { id, bytes } of sizes) {
        await s.db.update(tenantUsage).set({ databaseBytes: bytes, databaseMeasuredAt: at }).where(eq(tenantUsage.tenantId, id));
      }
    });
    measured += ids.length;
    after = last;
    await yieldToEventLoop();
  }
  return { measured, durationMs: performance.now() - started };
}
