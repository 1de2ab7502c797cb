import { eq } from "drizzle-orm";
import { runOnTenantFiles } from "./file-workers/pool.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import type { FileQuickCheck } from "./quick-check.ts";

export interface TenantHealth {
  tenantId: string;
  /**
   * `deleted`: no longer registered (before or during the run); `on_postgres`: its tables were
   * moved to PostgreSQL (TENANT_POSTGRES_URL), so there is no file to check; the others as FileQuickCheck.
   */
  state: FileQuickCheck["state"] | "deleted" | "on_postgres";
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

function onPostgres(tenantId: string): TenantHealth {
  return {
    tenantId,
    state: "on_postgres",
    result: "Its tables live in PostgreSQL (TENANT_POSTGRES_URL): there is no file to check.",
    databaseBytes: 0,
    durationMs: 0,
  };
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
  const shared = manager.sharedStore();
  // The registry in one read session, closed before any file is visited.
  const placements = new Map(
    await shared.session("read", async (s) =>
      (await s.db.select({ id: s.t.tenants.id, placement: s.t.tenants.placement }).from(s.t.tenants)).map((row) => [row.id, row.placement] as const),
    ),
  );
  const isRegistered = (tenantId: string) =>
    shared.session("read", async (s) => (await s.db.select({ id: s.t.tenants.id }).from(s.t.tenants).where(eq(s.t.tenants.id, tenantId)).limit(1)).length > 0);
  const targets = tenantIds.filter((tenantId) => {
    const placement = placements.get(tenantId);
    if (placement === "local") return true;
    options.onResult(placement === undefined ? deleted(tenantId) : onPostgres(tenantId));
    return false;
  });
  const { synchronous, busyTimeoutMs } = manager.options;
  // Results are booked in the order the files finish, one after the other: a missing file's
  // registry check is a session, so each result waits for the one before it.
  // A throwing onResult does not stop the booking of the others; the first error is rethrown at the end.
  let booked: Promise<void> = Promise.resolve();
  const bookingErrors: unknown[] = [];
  try {
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
          booked = booked
            .then(async () => {
              // A file gone missing while the run went is usually a tenant deleted meanwhile.
              if (check.state === "missing" && !(await isRegistered(tenantId))) options.onResult(deleted(tenantId));
              else options.onResult({ tenantId, ...check });
            })
            .catch((error: unknown) => {
              bookingErrors.push(error);
            });
        },
      },
    );
  } finally {
    await booked;
  }
  if (bookingErrors.length > 0) throw bookingErrors[0];
}
