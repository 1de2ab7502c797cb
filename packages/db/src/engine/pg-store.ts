import { setTimeout as sleep } from "node:timers/promises";
import { driverCode } from "../pg/schema-migrations.ts";
import type { PgTransaction } from "../pg/transactions.ts";
import { activeSession, assertLockOrder, joins, withActiveSession } from "./active-sessions.ts";
import type { Db, Session, SessionMode, Store } from "./session.ts";
import { pgTables } from "./tables.ts";

/**
 * Opens one PostgreSQL transaction for a session in `mode` and runs `fn` in it: the engine decides
 * the role, the scope, the isolation level and the locks (src/pg/pg-engine.ts).
 */
export type PgTransactionRunner = <R>(fn: (tx: PgTransaction) => Promise<R>, mode: SessionMode) => Promise<R>;

/** The session models see for a PostgreSQL transaction: the transaction as their `db`, the pg-core tables as `t`. */
export function pgSession(tx: PgTransaction): Session {
  return { engine: "postgres", db: tx as unknown as Db, t: pgTables };
}

/**
 * serialization_failure and deadlock_detected: PostgreSQL aborted the transaction so that the
 * committed ones stay as if run one at a time; running it again is the documented answer.
 */
const RETRYABLE = new Set(["40001", "40P01"]);
export const MAX_ATTEMPTS = 30;

/**
 * A store on PostgreSQL: each session is one transaction on a pooled connection, made by `begin`
 * (a tenant's transaction on the app role's pool, or a system one). A transaction PostgreSQL
 * aborts to keep transactions serializable (or to break a deadlock) runs again from the start:
 * its body must only touch the database, or do what may be done twice. A session that joins an
 * open one never retries alone.
 */
export class PgStore implements Store {
  readonly engine = "postgres";

  constructor(
    readonly role: "shared" | "tenant",
    readonly joinKey: string,
    private readonly begin: PgTransactionRunner,
  ) {}

  async session<R>(mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    const joined = activeSession(this);
    if (joined && joins(this, mode, joined)) return fn(joined.session);
    assertLockOrder(this);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.begin((tx) => {
          const session = pgSession(tx);
          return withActiveSession(this, session, mode, () => fn(session));
        }, mode);
      } catch (error) {
        const code = driverCode(error);
        if (code === undefined || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        // Jittered, growing backoff: transactions that conflicted should not collide again at once.
        await sleep(Math.random() * Math.min(50, 2 * attempt));
      }
    }
  }
}
