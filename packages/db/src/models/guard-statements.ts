import type { Statement as SqliteStatement } from "better-sqlite3";
import type { SqliteConnection } from "../connection.ts";
import type { Session, SessionMode } from "../engine/session.ts";
import { sqliteConnectionOf } from "../engine/sqlite-store.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";

type Statement = SqliteStatement<unknown[]>;

/**
 * Raw statements of the sign-in and rate-limit guards on SQLite, prepared once per shared.sqlite
 * connection: they run on every sign-in and every API-key request, and each decision is one
 * atomic SQL statement (an upsert with RETURNING) that no other process can interleave with.
 * Run them only inside `inSharedSession`, on its SQLite session; PostgreSQL has its own
 * statements (guards-pg.ts).
 */
export function guardStatement(sql: string): (session: Session) => Statement {
  const cache = new WeakMap<SqliteConnection, Statement>();
  return (session) => {
    const connection = sqliteConnectionOf(session);
    let statement = cache.get(connection);
    if (!statement) {
      statement = connection.prepare<unknown[]>(sql);
      cache.set(connection, statement);
    }
    return statement;
  };
}

/**
 * Runs guard work in a session of the shared store. On SQLite its lock keeps the prepared
 * statements out of another async chain's open transaction on that connection
 * (engine/sqlite-store.ts), and "write" makes `fn` one IMMEDIATE transaction.
 */
export function inSharedSession<R>(mode: SessionMode, fn: (session: Session) => R | Promise<R>): Promise<R> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session(mode, async (session) => fn(session));
}
