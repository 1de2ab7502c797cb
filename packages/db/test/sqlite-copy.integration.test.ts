/**
 * copyLiveDatabase (src/backup/sqlite-copy.ts): a copy taken while another process commits in a
 * loop is the state of one committed point, passes integrity_check, and appears atomically; a
 * damaged file is refused with a message that names it.
 */
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { copyLiveDatabase, fileSha256, SqliteFileDamagedError, verifySqliteFile } from "../src/backup/sqlite-copy.ts";
import { loadMigrations, TENANT_MIGRATIONS_FOLDER } from "../src/migrations/migration-files.ts";

const WRITER = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "ledger-writer.ts");
const migrations = loadMigrations(TENANT_MIGRATIONS_FOLDER);
let writer: ChildProcess | undefined;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sigil-copy-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  writer?.kill("SIGKILL");
  writer = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function createLedger(path: string): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL); CREATE TABLE total (amount INTEGER NOT NULL); INSERT INTO total VALUES (0);");
  // Some bulk, so a copy spans many pages and a torn copy would show.
  const filler = db.prepare("INSERT INTO ledger (amount) VALUES (0)");
  db.transaction(() => {
    for (let i = 0; i < 20_000; i += 1) filler.run();
  })();
  db.close();
}

function startWriter(path: string): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, path], { stdio: ["ignore", "pipe", "inherit"] });
  writer = child;
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`the writer exited with ${code}`)));
  });
}

function ledgerState(path: string): { sum: number; total: number; rows: number } {
  const db = new Database(path, { readonly: true });
  try {
    const { sum, rows } = db.prepare("SELECT coalesce(sum(amount), 0) AS sum, count(*) AS rows FROM ledger").get() as { sum: number; rows: number };
    const { amount } = db.prepare("SELECT amount FROM total").get() as { amount: number };
    return { sum, total: amount, rows };
  } finally {
    db.close();
  }
}

describe("copyLiveDatabase", () => {
  it("copies a committed point while another process commits in a loop", async () => {
    const dir = tempDir();
    const source = join(dir, "live.sqlite");
    createLedger(source);
    await startWriter(source);
    const seen = new Set<number>();
    for (let i = 0; i < 8; i += 1) {
      const destination = join(dir, `copy-${i}.sqlite`);
      const copy = await copyLiveDatabase(source, destination, { migrations });
      expect(verifySqliteFile(destination, migrations).schemaVersion).toBe(0);
      const state = ledgerState(destination);
      expect(state.sum).toBe(state.total);
      expect(copy.sha256).toBe(await fileSha256(destination));
      seen.add(state.rows);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The writer went on between copies: the copies are of different points, all consistent.
    expect(seen.size).toBeGreaterThan(1);
    expect(readdirSync(dir).filter((name) => name.includes(".partial"))).toEqual([]);
  });

  it("refuses a damaged file, names it, and leaves no copy behind", async () => {
    const dir = tempDir();
    const source = join(dir, "live.sqlite");
    createLedger(source);
    const bytes = Buffer.alloc(8192, 0x5a);
    writeFileSync(join(dir, "garbage.sqlite"), bytes);
    expect(() => verifySqliteFile(join(dir, "garbage.sqlite"), migrations)).toThrow(SqliteFileDamagedError);
    await expect(copyLiveDatabase(join(dir, "garbage.sqlite"), join(dir, "out.sqlite"), { migrations })).rejects.toThrow(/garbage\.sqlite|not a database/);
    expect(readdirSync(dir).filter((name) => name.startsWith("out.sqlite"))).toEqual([]);
    await expect(copyLiveDatabase(join(dir, "missing.sqlite"), join(dir, "out.sqlite"), { migrations })).rejects.toThrow(/does not exist/);
  });
});
