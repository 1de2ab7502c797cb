import type { SqliteConnection } from "../connection.ts";
import { AsyncLock } from "./async-lock.ts";
import { activeSession, assertLockOrder, joins, withActiveSession } from "./active-sessions.ts";
import type { Db, Session, SessionMode, Store } from "./session.ts";
import { sqliteTables } from "./tables.ts";

/**
 * A store on one better-sqlite3 connection (shared.sqlite, or a tenant file's handle). Sessions
 * take the connection's lock and run in a transaction: IMMEDIATE for writes, so a read-then-write
 * never fails with SQLITE_BUSY_SNAPSHOT when another process committed in between, and DEFERRED
 * for reads, which see one snapshot throughout.
 */
export class SqliteStore implements Store {
  readonly engine = "sqlite";
  readonly joinKey = this;
  private readonly lock = new AsyncLock();
  private readonly base: Session;

  constructor(
    private readonly connection: SqliteConnection,
    db: Db,
    readonly role: "shared" | "tenant",
  ) {
    this.base = { engine: "sqlite", db, t: sqliteTables };
  }

  async session<R>(mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    const joined = activeSession(this);
    if (joined && joins(this, mode, joined)) return fn(joined.session);
    assertLockOrder(this);
    return this.lock.run(() => withActiveSession(this, this.base, mode, () => this.inTransaction(mode, fn)));
  }

  private async inTransaction<R>(mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    this.connection.exec(mode === "write" ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    try {
      const result = await fn(this.base);
      this.connection.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.connection.inTransaction) this.connection.exec("ROLLBACK");
      throw error;
    }
  }
}

const stores = new WeakMap<SqliteConnection, SqliteStore>();

/** The one store of a connection (one lock per connection, whoever asks). */
export function sqliteStoreOf(db: Db & { $client: SqliteConnection }, role: "shared" | "tenant"): SqliteStore {
  let store = stores.get(db.$client);
  if (!store) {
    store = new SqliteStore(db.$client, db, role);
    stores.set(db.$client, store);
  }
  return store;
}

/**
 * The better-sqlite3 connection a SQLite session runs on, for the few measured hot paths that keep
 * prepared statements: run them only inside that session (its lock is what keeps them out of
 * another chain's open transaction), and give the other engine a builder path.
 */
export function sqliteConnectionOf(session: Session): SqliteConnection {
  if (session.engine !== "sqlite") throw new Error("A SQLite connection was asked of a PostgreSQL session.");
  return (session.db as unknown as { $client: SqliteConnection }).$client;
}
