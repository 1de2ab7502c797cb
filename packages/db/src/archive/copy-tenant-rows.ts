import { createHash } from "node:crypto";
import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import { getTableConfig as getSqliteTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Session, Tables } from "../engine/session.ts";
import * as tenantTables from "../schema/tenant/index.ts";

/**
 * Copies a tenant's rows from one store to another, table by table (a SQLite file ↔ a PostgreSQL
 * schema: the move of a tenant between engines), and checks that the two hold the same rows. Rows
 * travel as Drizzle reads them, so each engine's column types convert themselves (epoch
 * milliseconds ↔ timestamptz, JSON text ↔ jsonb, integers ↔ bigint).
 */

type TenantTableKey = keyof typeof tenantTables & keyof Tables;
type Row = Record<string, unknown>;

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const BATCH = 200;
/** Kept by triggers as the other tables change; copied last, over what the triggers made. */
const STATS_TABLE: TenantTableKey = "tenantStats";

/** The tenant tables, each after the tables its foreign keys point to. */
export function tenantTableOrder(): TenantTableKey[] {
  const entries = (Object.entries(tenantTables) as [string, unknown][]).filter((entry): entry is [TenantTableKey, SQLiteTable] => is(entry[1], Table));
  const keyByName = new Map(entries.map(([key, table]) => [getTableName(table), key]));
  const parents = new Map(
    entries.map(([key, table]) => [
      key,
      getSqliteTableConfig(table)
        .foreignKeys.map((fk) => keyByName.get(getTableName(fk.reference().foreignTable)))
        .filter((parent): parent is TenantTableKey => parent !== undefined && parent !== key),
    ]),
  );
  const ordered: TenantTableKey[] = [];
  const visit = (key: TenantTableKey, path: Set<TenantTableKey>) => {
    if (ordered.includes(key)) return;
    if (path.has(key)) throw new Error(`The tenant tables' foreign keys form a cycle through ${key}.`);
    for (const parent of parents.get(key) ?? []) visit(parent, new Set([...path, key]));
    ordered.push(key);
  };
  for (const [key] of entries) if (key !== STATS_TABLE) visit(key, new Set());
  return [...ordered, STATS_TABLE];
}

export interface CopyProgress {
  table: string;
  rows: number;
  tablesDone: number;
  tables: number;
}

export interface TableCopy {
  table: string;
  rows: number;
}

/**
 * Copies every row of every tenant table from `from` (a read session) into `to` (a write session
 * on an empty, migrated tenant store: a new file or schema). The statistics row the triggers keep
 * is replaced by the source's at the end, so both stores report the same totals and revision.
 */
export async function copyTenantRows(from: Session, to: Session, onProgress?: (progress: CopyProgress) => void): Promise<TableCopy[]> {
  const order = tenantTableOrder();
  const copied: TableCopy[] = [];
  for (const key of order) {
    const source = from.t[key] as unknown as SQLiteTable;
    const target = to.t[key] as unknown as SQLiteTable;
    const rows = (await from.db.select().from(source)) as Row[];
    if (key === STATS_TABLE) await to.db.delete(target);
    for (let start = 0; start < rows.length; start += BATCH) {
      await to.db.insert(target).values(rows.slice(start, start + BATCH));
    }
    copied.push({ table: getTableName(source), rows: rows.length });
    onProgress?.({ table: getTableName(source), rows: rows.length, tablesDone: copied.length, tables: order.length });
  }
  return copied;
}

export interface TableChecksum {
  rows: number;
  sha256: string;
}

/**
 * Per tenant table, the row count and a SHA-256 over its rows in a canonical form (keys sorted,
 * instants as epoch milliseconds, JSON re-serialized with sorted keys, bytes as base64), the rows
 * sorted by that form: two stores on different engines that hold the same rows give the same sums.
 */
export async function tenantChecksums(session: Session): Promise<Record<string, TableChecksum>> {
  const sums: Record<string, TableChecksum> = {};
  for (const key of tenantTableOrder()) {
    const table = session.t[key] as unknown as SQLiteTable;
    const rows = (await session.db.select().from(table)) as Row[];
    const columns = Object.keys(getTableColumns(table)).sort();
    const lines = rows.map((row) => canonical(Object.fromEntries(columns.map((column) => [column, row[column]])))).sort();
    const hash = createHash("sha256");
    for (const line of lines) hash.update(line).update("\n");
    sums[getTableName(table)] = { rows: rows.length, sha256: hash.digest("hex") };
  }
  return sums;
}

/** The tables whose count or checksum differ between two stores (empty: the same rows). */
export function checksumDifferences(a: Record<string, TableChecksum>, b: Record<string, TableChecksum>): string[] {
  const tables = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return tables.flatMap((table) => {
    const left = a[table];
    const right = b[table];
    if (!left || !right) return [`${table}: present in only one store`];
    if (left.rows !== right.rows) return [`${table}: ${left.rows} rows against ${right.rows}`];
    if (left.sha256 !== right.sha256) return [`${table}: the same ${left.rows} rows count, different contents`];
    return [];
  });
}

function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return { $ms: value.getTime() };
  if (Buffer.isBuffer(value)) return { $bytes: value.toString("base64") };
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, normalize((value as Row)[key])]),
    );
  }
  return value;
}
