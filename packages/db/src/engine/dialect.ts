import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Session } from "./session.ts";

/**
 * The few expressions SQLite and PostgreSQL spell differently. Timestamps are epoch milliseconds
 * in SQLite and timestamptz in PostgreSQL (src/schema/pg/columns.ts).
 */

/** The UTC calendar day (YYYY-MM-DD) of a timestamp column. */
export function utcDay(session: Session, column: SQLWrapper): SQL<string> {
  return session.engine === "postgres"
    ? sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;
}

/** How many rows of the group satisfy `condition` (0 for an empty group). */
export function countWhere(condition: SQL): SQL<number> {
  return sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`.mapWith(Number);
}

/** The sum of a numeric column over the group (0 for an empty group), as a JavaScript number. */
export function sumOf(column: SQLWrapper): SQL<number> {
  return sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);
}
