import { basename } from "node:path";
import type Database from "better-sqlite3";
import { slowStatementListener } from "./slow-queries.ts";

/**
 * Reuses the compiled statement of a SQL text on one connection. Drizzle compiles every query
 * it runs (`connection.prepare`) unless the caller keeps a prepared query; the models build
 * theirs per call, so the same few SQL texts were compiled by SQLite on every request. Statements
 * are reusable once a call returns (nothing here iterates a statement), so each connection keeps
 * its last MAX_STATEMENTS texts.
 *
 * A cached statement is handed out in its default mode: whoever used it last may have switched it
 * to raw, pluck or expand (Drizzle reads joined rows with raw()). So a caller that keeps a
 * statement must not rely on a mode it set once: another prepare of the same text resets it.
 * (Sigil's kept statements read named columns instead of using pluck().)
 */
const MAX_STATEMENTS = 128;

type Prepare = Database.Database["prepare"];
type Execution = "run" | "get" | "all";

/**
 * Times a statement's executions for the slow-statement listener (slow-queries.ts). Checked per
 * call, so a listener installed after the connection opened still sees it; without one the cost is
 * one extra call. `iterate` is left alone: its rows are read lazily, after it returns.
 */
function timeExecutions(statement: Database.Statement, database: string): void {
  for (const method of ["run", "get", "all"] as const satisfies readonly Execution[]) {
    const execute: (...parameters: unknown[]) => unknown = statement[method].bind(statement);
    const timed = (...parameters: unknown[]): unknown => {
      const listener = slowStatementListener();
      if (listener === null) return execute(...parameters);
      const started = performance.now();
      try {
        return execute(...parameters);
      } finally {
        const durationMs = performance.now() - started;
        if (durationMs >= listener.thresholdMs) listener.onSlowStatement({ sql: statement.source, durationMs, database });
      }
    };
    Object.defineProperty(statement, method, { value: timed, configurable: true, writable: true });
  }
}

export function cacheStatements(connection: Database.Database): void {
  const compile: Prepare = connection.prepare.bind(connection);
  const statements = new Map<string, Database.Statement>();
  const database = basename(connection.name);
  const prepare = (source: string) => {
    let statement = statements.get(source);
    if (statement) {
      // Most recently used last: the first key is the one to evict.
      statements.delete(source);
      if (statement.reader) statement.raw(false).pluck(false).expand(false);
    } else {
      statement = compile(source);
      timeExecutions(statement, database);
      if (statements.size >= MAX_STATEMENTS) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
    }
    statements.set(source, statement);
    return statement;
  };
  connection.prepare = prepare as Prepare;
}
