import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { setSlowStatementListener, type SlowStatement } from "./slow-queries.ts";
import { openSqlite, type SqliteConnection } from "./sqlite-file.ts";

let dir: string;
let db: SqliteConnection;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sigil-statements-"));
  db = openSqlite(join(dir, "t.sqlite"), { fileMustExist: false, synchronous: "NORMAL", busyTimeoutMs: 1000 });
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two')");
});
afterEach(() => {
  setSlowStatementListener(null);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the same SQL text is compiled once per connection", () => {
  const first = db.prepare("SELECT name FROM t WHERE id = ?");
  expect(db.prepare("SELECT name FROM t WHERE id = ?")).toBe(first);
  expect(db.prepare("SELECT name FROM t WHERE id = ? ")).not.toBe(first);
});

test("a reused statement answers in the default mode, whatever its last user switched it to", () => {
  const sql = "SELECT id, name FROM t ORDER BY id";
  expect(db.prepare(sql).raw().all()).toEqual([
    [1, "one"],
    [2, "two"],
  ]);
  expect(db.prepare(sql).all()).toEqual([
    { id: 1, name: "one" },
    { id: 2, name: "two" },
  ]);
  expect(db.prepare(sql).pluck().get()).toBe(1);
  expect(db.prepare(sql).get()).toEqual({ id: 1, name: "one" });
  // Writes (no rows returned) are reused too.
  const insert = db.prepare("INSERT INTO t (name) VALUES (?)");
  expect(db.prepare("INSERT INTO t (name) VALUES (?)")).toBe(insert);
  expect(insert.run("three").changes).toBe(1);
});

test("at most 128 texts are kept: the least recently used is compiled again", () => {
  const kept = db.prepare("SELECT 0");
  for (let i = 1; i <= 127; i += 1) db.prepare(`SELECT ${i}`);
  expect(db.prepare("SELECT 0")).toBe(kept); // used again: now the most recent
  for (let i = 128; i <= 255; i += 1) db.prepare(`SELECT ${i}`);
  expect(db.prepare("SELECT 0")).not.toBe(kept);
});

test("statements at or above the slow threshold are reported with their SQL, never their parameters", () => {
  const reported: SlowStatement[] = [];
  db.prepare("SELECT name FROM t WHERE id = ?").get(1); // compiled before the listener exists
  setSlowStatementListener({ thresholdMs: 0, onSlowStatement: (statement) => reported.push(statement) });
  expect(db.prepare("SELECT name FROM t WHERE id = ?").get(2)).toEqual({ name: "two" });
  db.prepare("INSERT INTO t (name) VALUES (?)").run("secret-value");
  expect(db.prepare("SELECT id, name FROM t ORDER BY id").raw().all()).toHaveLength(3);
  expect(reported.map((entry) => entry.sql)).toEqual([
    "SELECT name FROM t WHERE id = ?",
    "INSERT INTO t (name) VALUES (?)",
    "SELECT id, name FROM t ORDER BY id",
  ]);
  expect(reported.every((entry) => entry.database === "t.sqlite" && entry.durationMs >= 0)).toBe(true);
  expect(JSON.stringify(reported)).not.toContain("secret-value");
});

test("statements under the threshold are not reported", () => {
  const reported: SlowStatement[] = [];
  setSlowStatementListener({ thresholdMs: 60_000, onSlowStatement: (statement) => reported.push(statement) });
  db.prepare("SELECT name FROM t WHERE id = ?").get(1);
  expect(reported).toEqual([]);
});
