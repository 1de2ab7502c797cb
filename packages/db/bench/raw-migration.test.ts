import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { openSqlite } from "../src/sqlite-file.ts";
import { openRaw, rawMigrateOnWorkers, rawMigrateSequential } from "./raw-migration.ts";

// The benchmark's baseline is only the disk's limit if it does what the runner does to a file:
// same pragmas, every file migrated exactly once.

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "sigil-raw-migration-"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function createFiles(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const path = join(directory, `tenant_${index}.sqlite`);
    const connection = new Database(path);
    connection.exec("CREATE TABLE prompts (id text PRIMARY KEY)");
    connection.close();
    return path;
  });
}

function columns(path: string): string[] {
  const connection = new Database(path, { readonly: true });
  try {
    return (connection.pragma("table_info(prompts)") as { name: string }[]).map((column) => column.name);
  } finally {
    connection.close();
  }
}

const PRAGMAS = ["journal_mode", "synchronous", "foreign_keys", "busy_timeout"] as const;

describe("raw migration baseline", () => {
  test.each(["NORMAL", "FULL"] as const)("opens files with the same pragmas as openSqlite (synchronous=%s)", (synchronous) => {
    const [path] = createFiles(1);
    if (path === undefined) throw new Error("no file");
    const options = { synchronous, busyTimeoutMs: 4321 };
    const sigil = openSqlite(path, { fileMustExist: true, ...options });
    const raw = openRaw(path, options);
    try {
      for (const pragma of PRAGMAS) expect(raw.pragma(pragma, { simple: true }), pragma).toEqual(sigil.pragma(pragma, { simple: true }));
    } finally {
      sigil.close();
      raw.close();
    }
  });

  test("sequential and worker loops apply the statement to every file exactly once", async () => {
    const paths = createFiles(40);
    const pragmas = { synchronous: "NORMAL" as const, busyTimeoutMs: 5000 };
    rawMigrateSequential(paths.slice(0, 10), "ALTER TABLE prompts ADD COLUMN note text", pragmas);
    // A second ALTER of the same column fails, so a file handed out twice would reject the run.
    await rawMigrateOnWorkers(paths.slice(10), "ALTER TABLE prompts ADD COLUMN note text", pragmas, 3);
    for (const path of paths) expect(columns(path)).toEqual(["id", "note"]);
    await expect(rawMigrateOnWorkers(paths.slice(0, 2), "ALTER TABLE prompts ADD COLUMN note text", pragmas, 2)).rejects.toThrow(/duplicate column/);
  });
});
