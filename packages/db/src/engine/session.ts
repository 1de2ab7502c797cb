import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as sharedTables from "../schema/shared/index.ts";
import type * as tenantTables from "../schema/tenant/index.ts";

/**
 * The Drizzle database a model's queries are built on, typed as SQLite's (the reference dialect).
 * At run time it is the engine's own database: only `await builder` is engine-neutral, so
 * `.get()`, `.all()` and `.run()` are refused by lint in engine-neutral code (docs/architecture.md,
 * "One model body, two engines").
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema generic is irrelevant to table-level queries
export type Db = BaseSQLiteDatabase<"sync", unknown, any>;

/** Every table a model may query, typed as the SQLite ones; at run time the engine's twins. */
export type Tables = typeof sharedTables & typeof tenantTables;

/** One transaction on one store: the database to build queries on and the tables to build them from. */
export interface Session {
  readonly engine: "sqlite" | "postgres";
  readonly db: Db;
  readonly t: Tables;
}

/** "read": a consistent snapshot, no writes; "write": serialized with every other writer of the store. */
export type SessionMode = "read" | "write";

/**
 * Where a model's rows live: shared.sqlite or one tenant's file (later a PostgreSQL schema).
 * Each call is one transaction; a call made inside another session on the same store (in the same
 * async chain) joins it instead of waiting for itself.
 */
export interface Store {
  readonly engine: "sqlite" | "postgres";
  /** Lock order: a tenant session may open a shared one inside it, never the reverse. */
  readonly role: "shared" | "tenant";
  /**
   * Sessions of stores with the same key share one transaction: a call made inside an open session
   * joins it. A SQLite store is its own key; on PostgreSQL a tenant's store and the tenant's view
   * of the shared tables are one connection in one transaction (src/engine/pg-store.ts).
   */
  readonly joinKey: unknown;
  session<R>(mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R>;
}
