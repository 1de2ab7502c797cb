import { sql, type ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle, type NodePgTransaction } from "drizzle-orm/node-postgres";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type pg from "pg";
import { SHARED_SCHEMA, tenantSchemaName } from "./names.ts";
import type { AppPool, SystemPool } from "./pool.ts";

/** The callback's handle. No relational schema yet: the query builders take the tables themselves. */
export type PgTransaction = NodePgTransaction<Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;

export class TransactionEndedError extends Error {
  constructor() {
    super("This PostgreSQL transaction has ended; its connection went back to the pool and may serve another tenant now. Finish all work inside the callback.");
    this.name = "TransactionEndedError";
  }
}

/** Which tenant a transaction works for; its schema comes from the id (tenantSchemaName). */
export interface TenantScope {
  readonly tenantId: string;
  /**
   * Hold the tenant's lock (a transaction-scoped advisory lock) from the first statement on: the
   * tenant's exclusive transactions run one at a time. Taken in the statement that sets the scope,
   * so no statement of the transaction runs before it.
   */
  readonly exclusive?: boolean;
}

/** The class of the tenant locks (the second key is hashtext(tenant id)); schema-migrations.ts has another. */
const TENANT_LOCK_CLASS = 0x51_61_7f;

/**
 * Runs `fn` in one transaction as tenant `tenantId`: `search_path` is the tenant's schema and
 * `sigil.tenant_id` the tenant the row-level security policies of the shared tables admit. Both are
 * set with `set_config(…, true)`, the function form of `SET LOCAL`: they end with the transaction,
 * so a pooled connection (or a PgBouncer server connection in transaction mode) never carries them
 * into the next one, and a transaction that throws rolls back with them.
 */
export async function withTenantTransaction<T>(
  pool: AppPool,
  scope: TenantScope,
  fn: (tx: PgTransaction) => Promise<T>,
  config?: PgTransactionConfig,
): Promise<T> {
  const schema = tenantSchemaName(scope.tenantId);
  const lock = scope.exclusive ? sql`, pg_advisory_xact_lock(${sql.raw(String(TENANT_LOCK_CLASS))}, hashtext(${scope.tenantId}))` : sql``;
  return runTransaction(
    pool,
    sql`SELECT set_config('search_path', ${schema}, true), set_config('sigil.tenant_id', ${scope.tenantId}, true)${lock}`,
    fn,
    config,
  );
}

/** Runs `fn` in one transaction as the system role, on the shared schema and no tenant. */
export async function withSystemTransaction<T>(pool: SystemPool, fn: (tx: PgTransaction) => Promise<T>, config?: PgTransactionConfig): Promise<T> {
  return runTransaction(pool, sql`SELECT set_config('search_path', ${SHARED_SCHEMA}, true)`, fn, config);
}

async function runTransaction<T>(
  pool: pg.Pool,
  scopeStatement: ReturnType<typeof sql>,
  fn: (tx: PgTransaction) => Promise<T>,
  config: PgTransactionConfig | undefined,
): Promise<T> {
  const client = await pool.connect();
  const lease = guardedClient(client);
  // A connection lost while lent out emits "error" on the client, which the pool only listens to
  // while the client is idle; unheard, it would end the process. The query in flight fails anyway.
  const onLost = (error: Error) => console.error("A PostgreSQL connection failed during a transaction:", error.message);
  client.on("error", onLost);
  try {
    // Drizzle's transaction, not a hand-written BEGIN: a nested `tx.transaction` then becomes a
    // savepoint instead of a second BEGIN whose COMMIT would end this transaction early.
    return await drizzle({ client: lease.client }).transaction(async (tx) => {
      await tx.execute(scopeStatement);
      return fn(tx);
    }, config);
  } finally {
    // Drizzle has sent COMMIT or ROLLBACK, so the connection is idle outside any transaction; one
    // that broke on the way is no longer queryable, and the pool drops it instead of lending it again.
    lease.end();
    client.off("error", onLost);
    client.release();
  }
}

/**
 * The client the callback's queries go through. Once the transaction has ended, every use throws:
 * a detached promise that queries later would otherwise run on a connection that is back in the
 * pool, inside whichever tenant's transaction holds it then.
 */
function guardedClient(client: pg.PoolClient): { client: pg.PoolClient; end: () => void } {
  let ended = false;
  const guarded = new Proxy(client, {
    get(target, property) {
      if (ended) throw new TransactionEndedError();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client: guarded, end: () => (ended = true) };
}
