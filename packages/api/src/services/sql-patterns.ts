import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * LIKE conditions that take the user's text literally. SQLite's LIKE has no default escape
 * character: escaping `%` as `\%` only works with an explicit `ESCAPE '\'`, which Drizzle's `like()`
 * cannot add. (promptModel.search escapes without ESCAPE, so a search for "50%" finds nothing.)
 * LIKE is case-insensitive for ASCII in SQLite.
 */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column` contains `text`. */
export function containsText(column: SQLiteColumn, text: string): SQL {
  return sql`${column} LIKE ${`%${escapeLike(text)}%`} ESCAPE '\\'`;
}

/** `column` starts with `text`. */
export function startsWithText(column: SQLiteColumn, text: string): SQL {
  return sql`${column} LIKE ${`${escapeLike(text)}%`} ESCAPE '\\'`;
}
