import { runOnTenantFiles } from "./file-workers/pool.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import type { FileQuickCheck } from "./quick-check.ts";

export interface TenantHealth {
  tenantId: string;
  /** `deleted`: no longer registered (before or during the run); the others as FileQuickCheck. */
  state: FileQuickCheck["state"] | "deleted";
  result: string;
  databaseBytes: number;
  durationMs: number;
}

export interface TenantHealthOptions {
  /** Called on this thread once per tenant, in the order they finish. */
  onResult: (health: TenantHealth) => void;
  /** Aborted: no further tenant is started; those in flight finish and are reported. */
  signal?: AbortSignal;
  /** Worker threads (default: DEFAULT_FILE_WORKERS); 1 checks in this thread, one tenant per turn of the event loop. */
  concurrency?: number;
  /** Worker threads at the lowest CPU priority: for a run beside a server's requests (see FileRunOptions). */
  lowPriority?: boolean;
}

function deleted(tenantId: string): TenantHealth {
  return { tenantId, state: "deleted", result: "The tenant was deleted before the run reached it.", databaseBytes: 0, durationMs: 0 };
}

/**
 * SQLite's quick_check on each tenant's file, on worker threads (each file on a connection of
 * its own, never the pool's), so a server running it over 10,000 tenants keeps answering: its
 * thread only books results. Never creates a file; a missing file and damage are results.
 */
export async function quickCheckTenants(
  tenantIds: readonly string[],
  options: TenantHealthOptions,
  manager: HybridDatabaseManager = HybridDatabaseManager.getInstance(),
): Promise<void> {
  const shared = manager.getSharedDatabase().$client;
  const registered = new Set(shared.prepare<[], string>("SELECT id FROM tenants").pluck().all());
  const registration = shared.prepare<[string], { id: string }>("SELECT id FROM tenants WHERE id = ?");
  const targets = tenantIds.filter((tenantId) => {
    if (registered.has(tenantId)) return true;
    options.onResult(deleted(tenantId));
    return false;
  });
  const { synchronous, busyTimeoutMs } = manager.options;
  await runOnTenantFiles(
    { kind: "quick_check", synchronous, busyTimeoutMs },
    targets.map((tenantId) => manager.tenantDatabasePath(tenantId)),
    {
      concurrency: options.concurrency,
      signal: options.signal,
      lowPriority: options.lowPriority,
      onResult: (index, check) => {
        const tenantId = targets[index];
        if (tenantId === undefined) return;
        // A file gone missing while the run went is usually a tenant deleted meanwhile.
        if (check.state === "missing" && registration.get(tenantId) === undefined) {
          options.onResult(deleted(tenantId));
        } else {
          options.onResult({ tenantId, ...check });
        }
      },
    },
  );
}
