import { HybridDatabaseManager } from "./hybrid-manager.ts";

/**
 * What `/api/ready` asks of the storage (packages/api/src/observability/readiness.ts): can this
 * process write shared.sqlite now, and does a tenant file open and answer. Both are real
 * operations on the process's own connections, bounded in time, and leave nothing behind.
 */

/**
 * Takes shared.sqlite's write lock and changes a row, then rolls back: a locked database (a writer
 * stuck for longer than `timeoutMs`), a read-only file or a closed connection throws. The busy
 * timeout is lowered for this one statement so a probe never waits the full SQLITE_BUSY_TIMEOUT_MS.
 */
export function probeSharedWrite(timeoutMs: number, manager = HybridDatabaseManager.getInstance()): void {
  const connection = manager.getSharedDatabase().$client;
  const busyTimeout = manager.options.busyTimeoutMs;
  connection.pragma(`busy_timeout = ${Math.max(0, Math.floor(timeoutMs))}`);
  try {
    connection.exec("BEGIN IMMEDIATE");
    try {
      // A no-op update of the cache counter's row (schema/shared/control-plane.ts) dirties a page.
      connection.prepare("UPDATE cache_generation SET value = value").run();
    } finally {
      connection.exec("ROLLBACK");
    }
  } finally {
    connection.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

export interface SampledTenant {
  tenantId: string;
  slug: string;
  rowid: number;
}

/** The next active tenant after `afterRowid` in registration order, wrapping around; null when none is active. */
export function nextActiveTenant(afterRowid: number, manager = HybridDatabaseManager.getInstance()): SampledTenant | null {
  const connection = manager.getSharedDatabase().$client;
  const next = connection.prepare<[number], SampledTenant>(
    "SELECT id AS tenantId, slug, rowid FROM tenants WHERE status = 'active' AND rowid > ? ORDER BY rowid LIMIT 1",
  );
  return next.get(afterRowid) ?? next.get(-1) ?? null;
}

/** Leases the tenant's file through the pool (opening it if needed) and reads its schema table. */
export function probeTenantFile(tenantId: string, manager = HybridDatabaseManager.getInstance()): void {
  manager.withTenantDatabase(tenantId, (db) => db.$client.prepare("SELECT count(*) AS tables FROM sqlite_master").get());
}
