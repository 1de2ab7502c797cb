import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * LIKE conditions that take a person's text literally. SQLite's LIKE has no default escape
 * character, so escaping `%` as `\%` needs an explicit `ESCAPE '\'` (Drizzle's `like()` cannot
 * add one). Both sides are lower-cased: SQLite's LIKE ignores ASCII case, PostgreSQL's does not,
 * and `lower()` gives the same answer on both.
 */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` contains `text`. */
export function containsText(column: SQLiteColumn, text: string): SQL {
  return sql`lower(${column}) LIKE lower(${`%${escapeLike(text)}%`}) ESCAPE '\\'`;
}

/** `column` starts with `text`. */
export function startsWithText(column: SQLiteColumn, text: string): SQL {
  return sql`lower(${column}) LIKE lower(${`${escapeLike(text)}%`}) ESCAPE '\\'`;
}
