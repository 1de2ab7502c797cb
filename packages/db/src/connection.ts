import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { sharedSchema, tenantSchema } from "./schema/index.ts";
import type { SqliteConnection } from "./sqlite-file.ts";

export { isLockedByAnotherConnection, openSqlite, type OpenOptions, type SqliteConnection } from "./sqlite-file.ts";

export type SharedDatabase = BetterSQLite3Database<typeof sharedSchema> & { $client: SqliteConnection };
export type TenantDatabase = BetterSQLite3Database<typeof tenantSchema> & { $client: SqliteConnection };

export function wrapShared(connection: SqliteConnection): SharedDatabase {
  return drizzle({ client: connection, schema: sharedSchema });
}

export function wrapTenant(connection: SqliteConnection): TenantDatabase {
  return drizzle({ client: connection, schema: tenantSchema });
}
