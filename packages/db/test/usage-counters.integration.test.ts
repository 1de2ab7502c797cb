/**
 * The tenant migration that introduces usage counters seeds them from the executions a tenant
 * file already has, month by month (UTC), so the quota does not restart at zero on upgrade.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { applyMigrations } from "../src/migrations/apply-migrations.ts";
import { loadMigrations, TENANT_MIGRATIONS_FOLDER } from "../src/migrations/migration-files.ts";
import { openSqlite } from "../src/sqlite-file.ts";

const dir = mkdtempSync(join(tmpdir(), "sigil-usage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("0001_usage_counters seeds one executions counter per month from the existing rows", () => {
  const migrations = loadMigrations(TENANT_MIGRATIONS_FOLDER);
  const index = migrations.findIndex((migration) => migration.tag === "0001_usage_counters");
  expect(index).toBe(1);
  const connection = openSqlite(join(dir, "tenant.sqlite"), { fileMustExist: false, synchronous: "NORMAL", busyTimeoutMs: 1_000 });
  try {
    applyMigrations(connection, migrations.slice(0, index));
    connection.prepare("INSERT INTO prompts (id, name, template) VALUES ('p1', 'p', 'x')").run();
    const insert = connection.prepare(
      "INSERT INTO executions (id, prompt_id, prompt_version, input, provider, model, created_at) VALUES (?, 'p1', 1, '{}', 'template', 'm', ?)",
    );
    const at = (iso: string) => new Date(iso).getTime();
    // Three in December 2026 (one at its very first and one at its very last millisecond), two in November.
    insert.run("e1", at("2026-12-01T00:00:00.000Z"));
    insert.run("e2", at("2026-12-15T12:00:00.000Z"));
    insert.run("e3", at("2026-12-31T23:59:59.999Z"));
    insert.run("e4", at("2026-11-30T23:59:59.999Z"));
    insert.run("e5", at("2026-11-02T08:00:00.000Z"));

    applyMigrations(connection, migrations);
    const counters = connection.prepare("SELECT metric, period, count FROM usage_counters ORDER BY period").all();
    expect(counters).toEqual([
      { metric: "executions", period: "2026-11", count: 2 },
      { metric: "executions", period: "2026-12", count: 3 },
    ]);
  } finally {
    connection.close();
  }
});
