import { setSlowStatementListener } from "@sigil/db";
import { logger } from "./logger.ts";

/**
 * Logs SQLite statements that took SLOW_QUERY_MS or longer (README: Operating it, Logs), through
 * @sigil/db's listener (slow-queries.ts): the SQL text, never its parameters; the duration; the
 * database file (which names the tenant's id) and, inside a request, its id and workspace.
 */
export function installSlowQueryLog(thresholdMs: number | null): void {
  if (thresholdMs === null) {
    setSlowStatementListener(null);
    return;
  }
  setSlowStatementListener({
    thresholdMs,
    onSlowStatement: ({ sql, durationMs, database }) =>
      logger().warn({ sql, durationMs: Math.round(durationMs * 1000) / 1000, database }, "slow SQLite statement"),
  });
}
