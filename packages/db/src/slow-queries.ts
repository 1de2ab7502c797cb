/**
 * The slow-statement hook (README: Operating it, Logs). This package has no logger (the layering
 * keeps it free of the API's dependencies), so a process that wants slow statements reported
 * installs a listener with a threshold; every statement that goes through the statement cache
 * (statement-cache.ts: what the models and Drizzle run) is timed and reported when it took at
 * least `thresholdMs`. The report carries the SQL text, never its parameters: they hold emails,
 * token hashes and content.
 */
export interface SlowStatement {
  sql: string;
  durationMs: number;
  /** The database file's name (`shared.sqlite`, `tenant_<uuid>.sqlite`), never a full path. */
  database: string;
}

export interface SlowStatementListener {
  thresholdMs: number;
  onSlowStatement: (statement: SlowStatement) => void;
}

let listener: SlowStatementListener | null = null;

/** Installs (or, with null, removes) this process's listener; connections opened before it are covered too. */
export function setSlowStatementListener(next: SlowStatementListener | null): void {
  listener = next;
}

export function slowStatementListener(): SlowStatementListener | null {
  return listener;
}
