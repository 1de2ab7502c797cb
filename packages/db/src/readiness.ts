import { and, asc, eq, gt, sql } from "drizzle-orm";
import { rawRows, rawRun } from "./engine/raw.ts";
import type { Session } from "./engine/session.ts";
import { sqliteConnectionOf } from "./engine/sqlite-store.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import { driverCode } from "./pg/schema-migrations.ts";

/**
 * What `/api/ready` asks of the storage (packages/api/src/observability/readiness.ts): can this
 * process write shared.sqlite now, and does a tenant file open and answer. Both are real
 * operations on the process's own connections, through sessions of their stores, bounded in time,
 * and leave nothing behind.
 */

/** PostgreSQL's lock_not_available: lock_timeout expired. */
const LOCK_NOT_AVAILABLE = "55P03";

/** Thrown inside the probe's session so the store rolls its write back. */
class ProbeRollback extends Error {}

/**
 * Takes shared.sqlite's write lock and changes a row, then rolls back: a locked database (a writer
 * stuck for longer than `timeoutMs`, in another process or in this one), a read-only file or a
 * closed connection throws. The wait for the database's lock is bounded by `timeoutMs`, not by the
 * full SQLITE_BUSY_TIMEOUT_MS.
 */
export async function probeSharedWrite(timeoutMs: number, manager = HybridDatabaseManager.getInstance()): Promise<void> {
  const bound = Math.max(0, Math.floor(timeoutMs));
  // On SQLite a "read" session, so the store does not take the write lock itself (that would wait
  // the full busy timeout): the UPDATE takes it, under the probe's own timeout, and the rollback
  // undoes it. PostgreSQL's read sessions are READ ONLY transactions, which refuse the UPDATE; its
  // write sessions take no lock before the first statement.
  const probe = manager
    .sharedStore()
    .session(manager.engine === "postgres" ? "write" : "read", async (s) => {
      await writeUnderTimeout(s, bound, manager.options.busyTimeoutMs);
      throw new ProbeRollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof ProbeRollback)) throw error;
    });
  const late =
    manager.engine === "postgres"
      ? `The shared schema stayed locked for more than ${bound} ms.`
      : `shared.sqlite's lock was held in this process for more than ${bound} ms.`;
  await withinTime(probe, bound, late);
}

// A no-op update of the cache counter's row (schema/shared/control-plane.ts) dirties a page.
async function writeUnderTimeout(s: Session, timeoutMs: number, busyTimeoutMs: number): Promise<void> {
  if (s.engine === "postgres") {
    await rawRun(s, sql.raw(`SET LOCAL lock_timeout = ${timeoutMs}`));
    try {
      await rawRun(s, sql`UPDATE ${s.t.cacheGeneration} SET value = value`);
    } catch (error) {
      if (driverCode(error) === LOCK_NOT_AVAILABLE)
        throw new Error(`The shared schema is locked: another transaction held the row for more than ${timeoutMs} ms.`);
      throw error;
    }
    return;
  }
  // On the session's connection itself: SQLite's own error ("database is locked") is the answer's text.
  const connection = sqliteConnectionOf(s);
  // Lowered only while this session holds the connection: no other chain's statement runs meanwhile.
  connection.pragma(`busy_timeout = ${timeoutMs}`);
  try {
    connection.prepare("UPDATE cache_generation SET value = value").run();
  } finally {
    connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
  }
}

/** The probe waits for this process's own sessions too: a chain holding the lock too long fails it. */
async function withinTime(work: Promise<void>, timeoutMs: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SampledTenant {
  tenantId: string;
  slug: string;
}

/**
 * The next active tenant after `afterTenantId` in id order, wrapping around; null when none is
 * active. Id order (a keyset both engines have) visits every active tenant in turn.
 */
export async function nextActiveTenant(afterTenantId: string, manager = HybridDatabaseManager.getInstance()): Promise<SampledTenant | null> {
  return manager.sharedStore().session("read", async (s) => {
    const { tenants } = s.t;
    const next = async (after: string) => {
      const [row] = await s.db
        .select({ tenantId: tenants.id, slug: tenants.slug })
        .from(tenants)
        .where(and(eq(tenants.status, "active"), gt(tenants.id, after)))
        .orderBy(asc(tenants.id))
        .limit(1);
      return row;
    };
    return (await next(afterTenantId)) ?? (await next("")) ?? null;
  });
}

/** Leases the tenant's file through the pool (opening it if needed) and reads its schema catalogue, in a session of its store. */
export async function probeTenantFile(tenantId: string, manager = HybridDatabaseManager.getInstance()): Promise<void> {
  await manager.withTenantStore(tenantId, (store) =>
    store.session("read", (s) =>
      rawRows(
        s,
        s.engine === "postgres"
          ? sql`SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema = current_schema()`
          : sql`SELECT count(*) AS tables FROM sqlite_master`,
      ),
    ),
  );
}
