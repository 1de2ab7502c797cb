/**
 * What test/engine-contract.test.ts compares: each table of the sqlite-core schemas
 * (src/schema/shared, src/schema/tenant) and of their pg-core twins (src/schema/pg), read through
 * Drizzle's getTableConfig and described as engine-neutral facts, so two tables can be diffed into
 * sentences that name what differs.
 */
import { getTableName, is, SQL, type Column, type Table } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as getSqliteTableConfig, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";

export type Engine = "SQLite" | "PostgreSQL";

/**
 * The type mapping: a SQLite column kind (Drizzle's columnType, with the timestamp's mode) and the
 * PostgreSQL columns that may stand for it (Drizzle's columnType and the SQL type it creates).
 * Anything else is a difference. Integers may widen to bigint, read as a JS number (PgBigInt53),
 * where a value can pass 2^31 (bytes, counters that only grow, epoch milliseconds).
 */
export const TYPE_MAPPING: Record<string, readonly { columnType: string; sqlType: string }[]> = {
  SQLiteText: [{ columnType: "PgText", sqlType: "text" }],
  SQLiteTextJson: [{ columnType: "PgJsonb", sqlType: "jsonb" }],
  SQLiteInteger: [
    { columnType: "PgInteger", sqlType: "integer" },
    { columnType: "PgBigInt53", sqlType: "bigint" },
  ],
  "SQLiteTimestamp:timestamp_ms": [{ columnType: "PgTimestamp", sqlType: "timestamp (3) with time zone" }],
  SQLiteBoolean: [{ columnType: "PgBoolean", sqlType: "boolean" }],
  SQLiteReal: [{ columnType: "PgDoublePrecision", sqlType: "double precision" }],
  SQLiteBlobBuffer: [{ columnType: "PgCustomColumn", sqlType: "bytea" }],
};

/**
 * SQL defaults that mean the same thing on both engines, by their rendered text. SQLite's is the
 * statement's time in milliseconds; PostgreSQL's now() is the transaction's start.
 */
const DEFAULT_MEANINGS: Record<string, string> = {
  "(unixepoch('subsec') * 1000)": "the current time",
  "now()": "the current time",
};

export interface TableFacts {
  name: string;
  /** PostgreSQL schema; undefined for SQLite tables and for tenant tables (any schema via search_path). */
  schema: string | undefined;
  /** "column <name>: <property>" and "index <name>" etc. → a value both engines must agree on. */
  facts: Map<string, string>;
  /** Column name → the kind TYPE_MAPPING is keyed by (SQLite) or "<columnType> <sqlType>" (PostgreSQL). */
  types: Map<string, string>;
}

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

function render(engine: Engine, value: SQL): string {
  return (engine === "SQLite" ? sqliteDialect : pgDialect).sqlToQuery(value).sql;
}

/** SQLite's INTEGER PRIMARY KEY takes the next rowid when omitted; PostgreSQL's twin is an identity. */
const ASSIGNED_WHEN_OMITTED = "the next number when omitted";

function describeDefault(engine: Engine, column: Column): string {
  if (column.defaultFn || column.onUpdateFn) return "a function in the model layer";
  if (engine === "SQLite" && column.primary && column.columnType === "SQLiteInteger" && column.hasDefault) return ASSIGNED_WHEN_OMITTED;
  if (engine === "PostgreSQL" && "generatedIdentity" in column && isByDefaultIdentity(column.generatedIdentity)) return ASSIGNED_WHEN_OMITTED;
  if (!column.hasDefault) return "none";
  if (is(column.default, SQL)) {
    const text = render(engine, column.default);
    return DEFAULT_MEANINGS[text] ?? `SQL ${text}`;
  }
  return JSON.stringify(column.default);
}

function isByDefaultIdentity(identity: unknown): boolean {
  return typeof identity === "object" && identity !== null && "type" in identity && identity.type === "byDefault";
}

function columnKind(engine: Engine, column: Column): string {
  if (engine === "PostgreSQL") return `${column.columnType} ${column.getSQLType()}`;
  const mode = "mode" in column && typeof column.mode === "string" ? `:${column.mode}` : "";
  return column.columnType === "SQLiteTimestamp" ? `${column.columnType}${mode}` : column.columnType;
}

function indexedColumnName(engine: Engine, column: unknown): string {
  if (is(column, SQL)) return render(engine, column);
  if (typeof column === "object" && column !== null && "name" in column && typeof column.name === "string") return column.name;
  throw new Error(`An index column of an unknown kind: ${String(column)}`);
}

interface NeutralConfig {
  name: string;
  schema: string | undefined;
  columns: Column[];
  indexes: { config: { name?: string | undefined; columns: unknown[]; unique: boolean; where?: SQL | undefined } }[];
  foreignKeys: {
    reference(): { columns: Column[]; foreignColumns: Column[]; foreignTable: Table };
    onDelete?: string | undefined;
    onUpdate?: string | undefined;
  }[];
  primaryKeys: { columns: Column[] }[];
  uniqueConstraints: { getName(): string | undefined; columns: Column[] }[];
  checks: { name: string }[];
}

function configOf(engine: Engine, table: SQLiteTable | PgTable): NeutralConfig {
  if (engine === "SQLite" && is(table, SQLiteTable)) return { ...getSqliteTableConfig(table), schema: undefined };
  if (engine === "PostgreSQL" && is(table, PgTable)) return getPgTableConfig(table);
  throw new Error(`${getTableName(table)} is not a ${engine} table`);
}

/** A foreign key must stay inside its table's schema set: said only when it does not. */
function crossesSchemas(table: NeutralConfig, target: Table): string {
  const schema = is(target, PgTable) ? getPgTableConfig(target).schema : undefined;
  return schema === table.schema ? "" : ` in another schema (${schema ?? "none"})`;
}

export function describeTable(engine: Engine, table: SQLiteTable | PgTable): TableFacts {
  const config = configOf(engine, table);
  const facts = new Map<string, string>();
  const types = new Map<string, string>();
  const names = (columns: readonly Column[]) => columns.map((c) => c.name).join(", ");
  for (const column of config.columns) {
    const key = `column ${column.name}`;
    facts.set(`${key}: nullability`, column.notNull ? "NOT NULL" : "nullable");
    facts.set(`${key}: default`, describeDefault(engine, column));
    facts.set(`${key}: enum values`, JSON.stringify(column.enumValues ?? []));
    facts.set(`${key}: unique on its own`, String(column.isUnique));
    facts.set(`${key}: generated`, column.generated === undefined ? "no" : "yes");
    types.set(column.name, columnKind(engine, column));
  }
  const primary = config.columns.filter((c) => c.primary);
  const composite = config.primaryKeys.map((pk) => names(pk.columns));
  facts.set("primary key", [...(primary.length > 0 ? [names(primary)] : []), ...composite].join(" | ") || "none");
  for (const index of config.indexes) {
    const { name, columns, unique, where } = index.config;
    facts.set(
      `index ${name ?? "(unnamed)"}`,
      `${unique ? "unique " : ""}(${columns.map((c) => indexedColumnName(engine, c)).join(", ")})${where ? ` WHERE ${render(engine, where)}` : ""}`,
    );
  }
  for (const fk of config.foreignKeys) {
    const { columns, foreignColumns, foreignTable } = fk.reference();
    facts.set(
      `foreign key (${names(columns)})`,
      `→ ${getTableName(foreignTable)}(${names(foreignColumns)})${crossesSchemas(config, foreignTable)} on delete ${fk.onDelete ?? "no action"}, on update ${fk.onUpdate ?? "no action"}`,
    );
  }
  for (const unique of config.uniqueConstraints) facts.set(`unique constraint ${unique.getName() ?? "?"}`, names(unique.columns));
  for (const check of config.checks) facts.set(`check ${check.name}`, "present");
  return { name: config.name, schema: config.schema, facts, types };
}

/** Every difference between a SQLite table and its PostgreSQL twin, one sentence each. */
export function diffTables(sqlite: TableFacts, pg: TableFacts): string[] {
  const problems: string[] = [];
  const where = sqlite.name;
  const onlyIn = (engine: Engine, mine: Map<string, string>, theirs: Map<string, string>) =>
    [...mine.keys()].filter((column) => !theirs.has(column)).map((column) => `${where}: column ${column} exists only in ${engine}`);
  problems.push(...onlyIn("SQLite", sqlite.types, pg.types), ...onlyIn("PostgreSQL", pg.types, sqlite.types));
  // A missing column's own facts would only repeat that it is missing.
  const ofMissingColumn = (key: string) => {
    const column = /^column (.+?): /.exec(key)?.[1];
    return column !== undefined && !(sqlite.types.has(column) && pg.types.has(column));
  };
  for (const [key, value] of sqlite.facts) {
    const other = pg.facts.get(key);
    if (ofMissingColumn(key)) continue;
    if (other === undefined) problems.push(`${where}: ${key} exists only in SQLite (${value})`);
    else if (other !== value) problems.push(`${where}: ${key} differs: SQLite ${value}, PostgreSQL ${other}`);
  }
  for (const [key, value] of pg.facts) {
    if (!sqlite.facts.has(key) && !ofMissingColumn(key)) problems.push(`${where}: ${key} exists only in PostgreSQL (${value})`);
  }
  for (const [column, kind] of sqlite.types) {
    const pgKind = pg.types.get(column);
    if (pgKind === undefined) continue; // reported above as a missing column
    const allowed = TYPE_MAPPING[kind];
    if (allowed === undefined) problems.push(`${where}: column ${column}: SQLite type ${kind} has no PostgreSQL mapping (add one to TYPE_MAPPING)`);
    else if (!allowed.some((a) => `${a.columnType} ${a.sqlType}` === pgKind))
      problems.push(
        `${where}: column ${column}: SQLite ${kind} must map to ${allowed.map((a) => `${a.sqlType} (${a.columnType})`).join(" or ")}, PostgreSQL has ${pgKind}`,
      );
  }
  return problems;
}

/** The tables a schema module exports, by table name. */
export function tablesOf<T extends SQLiteTable | PgTable>(module: Record<string, unknown>, kind: typeof SQLiteTable | typeof PgTable): Map<string, T> {
  const tables = new Map<string, T>();
  for (const value of Object.values(module)) {
    if (is(value, kind)) tables.set(getTableName(value), value as T);
  }
  return tables;
}

/** Every difference between two schema sets: tables missing on either side, then each pair's. */
export function diffSchemas(sqliteTables: Map<string, SQLiteTable>, pgTables: Map<string, PgTable>): string[] {
  const problems: string[] = [];
  for (const name of sqliteTables.keys()) if (!pgTables.has(name)) problems.push(`table ${name} exists only in SQLite`);
  for (const name of pgTables.keys()) if (!sqliteTables.has(name)) problems.push(`table ${name} exists only in PostgreSQL`);
  for (const [name, sqliteTable] of sqliteTables) {
    const pgTable = pgTables.get(name);
    if (pgTable) problems.push(...diffTables(describeTable("SQLite", sqliteTable), describeTable("PostgreSQL", pgTable)));
  }
  return problems;
}
