import type { Statement as SqliteStatement } from "better-sqlite3";
import type { SharedDatabase } from "../connection.ts";
import type { SessionMode } from "../engine/session.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";

type Statement = SqliteStatement<unknown[]>;

/**
 * Raw statements of the sign-in and rate-limit guards, prepared once per shared.sqlite
 * connection: they run on every sign-in and every API-key request, and each decision is one
 * atomic SQL statement (an upsert with RETURNING) that no other process can interleave with.
 * Run them only inside `inSharedSession`.
 */
export function guardStatement(sql: string): () => Statement {
  const cache = new WeakMap<SharedDatabase, Statement>();
  return () => {
    const db = HybridDatabaseManager.getInstance().getSharedDatabase();
    let statement = cache.get(db);
    if (!statement) {
      statement = db.$client.prepare<unknown[]>(sql);
      cache.set(db, statement);
    }
    return statement;
  };
}

/**
 * Runs synchronous work on shared.sqlite's connection (prepared statements) inside a session of
 * the shared store: its lock keeps the statements out of another async chain's open transaction
 * on that connection (engine/sqlite-store.ts), and "write" makes `fn` one IMMEDIATE transaction.
 */
export function inSharedSession<R>(mode: SessionMode, fn: () => R): Promise<R> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session(mode, async () => fn());
}
