import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";

/**
 * Reading a hypersigil database (github.com/hypersigilhq/hypersigil, backend/src/database): every
 * model is a table `(id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at TEXT NOT NULL,
 * updated_at TEXT NOT NULL)` holding a JSON document, plus `schema_migrations (version, name,
 * applied_at)`. The file is opened read-only and never changed.
 */

/** One stored document as hypersigil wrote it: `data` is the JSON text, timestamps ISO strings. */
export interface HypersigilRow {
  id: string;
  data: string;
  createdAt: string;
  updatedAt: string;
}

export interface HypersigilSource {
  path: string;
  /** Document tables by name (hypersigil's models), rows in creation order. */
  tables: Map<string, HypersigilRow[]>;
  /** Applied hypersigil migrations (`schema_migrations`). */
  migrations: { version: number; name: string }[];
}

/** The file cannot be read as a hypersigil database; the message says why. */
export class HypersigilSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HypersigilSourceError";
  }
}

const DOCUMENT_COLUMNS = ["id", "data", "created_at", "updated_at"];

export function readHypersigilDatabase(path: string): HypersigilSource {
  if (!existsSync(path) || !statSync(path).isFile()) throw new HypersigilSourceError(`${path} does not exist or is not a file.`);
  let connection: Database.Database;
  try {
    connection = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new HypersigilSourceError(`${path} cannot be opened as an SQLite database (${(error as Error).message}).`);
  }
  try {
    return readOpened(path, connection);
  } catch (error) {
    if (error instanceof HypersigilSourceError) throw error;
    throw new HypersigilSourceError(`${path} is not a readable SQLite database (${(error as Error).message}).`);
  } finally {
    connection.close();
  }
}

function readOpened(path: string, connection: Database.Database): HypersigilSource {
  const names = connection
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => row.name);
  if (!names.includes("schema_migrations")) {
    throw new HypersigilSourceError(`${path} is not a hypersigil database: it has no schema_migrations table.`);
  }
  const tables = new Map<string, HypersigilRow[]>();
  for (const name of names) {
    if (name === "schema_migrations") continue;
    const columns = connection
      .prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?)")
      .all(name)
      .map((column) => column.name);
    // hypersigil adds generated columns (virtual columns) beside the four; they are not data.
    if (!DOCUMENT_COLUMNS.every((column) => columns.includes(column))) continue;
    const rows = connection
      .prepare<[], HypersigilRow>(
        `SELECT id, data, created_at AS createdAt, updated_at AS updatedAt FROM "${name.replaceAll('"', '""')}" ORDER BY created_at, id`,
      )
      .all();
    tables.set(name, rows);
  }
  const migrations = connection.prepare<[], { version: number; name: string }>("SELECT version, name FROM schema_migrations ORDER BY version").all();
  return { path, tables, migrations };
}
