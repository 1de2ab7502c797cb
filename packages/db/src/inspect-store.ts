import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Tables } from "./engine/session.ts";
import { tenantTableOrder } from "./archive/copy-tenant-rows.ts";
import { HybridDatabaseManager } from "./hybrid-manager.ts";
import { sqliteTables } from "./engine/tables.ts";

/**
 * A tenant's rows as its store holds them, on either engine, through the process-wide manager (a
 * read session): what a verifier outside packages/db reads to compare with what the API says
 * (reliability/). Rows carry the tables' SQL column names, like inspectTenantFile's.
 */
export async function inspectTenantStore(tenantId: string, tables: readonly string[]): Promise<Record<string, Record<string, unknown>[]>> {
  const keys = tables.map(tenantTableKey);
  return HybridDatabaseManager.getInstance().withTenantStore(tenantId, (store) =>
    store.session("read", async (s) => {
      const rows: Record<string, Record<string, unknown>[]> = {};
      for (const [index, key] of keys.entries()) {
        const table = s.t[key] as unknown as SQLiteTable;
        const columns = Object.entries(getTableColumns(table));
        const read = (await s.db.select().from(table)) as Record<string, unknown>[];
        rows[tables[index] ?? getTableName(table)] = read.map((row) => Object.fromEntries(columns.map(([field, column]) => [column.name, row[field]])));
      }
      return rows;
    }),
  );
}

/** A tenant table's key in `Tables` from its SQL name; anything else is refused. */
function tenantTableKey(name: string): keyof Tables {
  const key = tenantTableOrder().find((candidate) => {
    const table: unknown = sqliteTables[candidate];
    return is(table, Table) && getTableName(table) === name;
  });
  if (key === undefined) throw new Error(`${JSON.stringify(name)} is not a tenant table.`);
  return key;
}
