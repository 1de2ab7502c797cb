import type { SQL } from "drizzle-orm";
import type { Session } from "./session.ts";

interface PgDb {
  execute(query: SQL): Promise<{ rows: unknown[] }>;
}

/**
 * The rows of a raw statement (for what the query builder cannot say: upserts with expressions,
 * window functions). The statement must be valid on both engines; each driver returns rows its
 * own way.
 */
export async function rawRows<T>(session: Session, query: SQL): Promise<T[]> {
  if (session.engine === "postgres") return (await (session.db as unknown as PgDb).execute(query)).rows as T[];
  return session.db.all<T>(query);
}

/** Runs a raw statement that returns no rows (see rawRows). */
export async function rawRun(session: Session, query: SQL): Promise<void> {
  if (session.engine === "postgres") await (session.db as unknown as PgDb).execute(query);
  else session.db.run(query);
}
