import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOneMoreMigration } from "./migration-fixture.ts";
import { runSigil } from "./run-sigil.ts";

let root: string;
let dataDir: string;
/** The tenant migrations plus one more: the installation's tenants are one migration behind it. */
let newerMigrations: string;
const ids: Record<string, string> = {};

function sigil(args: string[]) {
  return runSigil(args, { DATA_DIR: dataDir, SIGIL_TENANT_MIGRATIONS_DIR: newerMigrations });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sigil-cli-migrate-"));
  dataDir = join(root, "data");
  newerMigrations = join(root, "tenant-migrations");
  withOneMoreMigration(newerMigrations);
  await HybridDatabaseManager.configure({ dataDir }).runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  for (const slug of ["acme", "globex", "initech", "broken"]) {
    ids[slug] = (await tenantModel.createTenant({ name: slug, slug, plan: "free", settings: { features: [], limits } })).id;
  }
  const brokenFile = HybridDatabaseManager.getInstance().tenantDatabasePath(ids.broken ?? "");
  HybridDatabaseManager.closeInstance();
  writeFileSync(brokenFile, "this is not a SQLite database, it only has the name of one".repeat(100));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("sigil migrate", () => {
  it("--dry-run reports from the files what would be applied, and writes nothing", () => {
    const run = sigil(["migrate", "--dry-run"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Dry run: nothing is written.");
    expect(run.stdout).toContain("Tenants: 0 up to date, 3 to migrate, 1 missing or unreadable.");
    expect(run.stdout).toMatch(/acme\s+v\d+\s+apply v\d+/);
    expect(run.stdout).toMatch(/broken\s+—\s+fail\s+file is not a database/);
    const again = sigil(["migrate", "--dry-run", "--json"]);
    const report = JSON.parse(again.stdout) as { tenants: { slug: string; state: string }[] };
    expect(report.tenants.filter((tenant) => tenant.state === "behind")).toHaveLength(3);
  });

  it("--tenant migrates only the named tenants", () => {
    const run = sigil(["migrate", "--tenant", "globex", "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { total: number; applied: number; results: { slug: string; status: string }[] };
    expect(report).toMatchObject({ total: 1, applied: 1 });
    expect(report.results.map((result) => result.slug)).toEqual(["globex"]);
  });

  it("migrates the rest, reports the unreadable tenant as failed with exit code 1, and resumes on a rerun", () => {
    const run = sigil(["migrate", "--concurrency", "2"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Tenants: 4 \(applied 2, up to date 1, failed 1\)/);
    expect(run.stdout).toMatch(/broken\s+FAILED/);
    expect(run.stdout).toMatch(/acme\s+v\d+ → v\d+/);
    // Progress goes to stderr, the result to stdout.
    expect(run.stderr).toMatch(/4\/4 tenants migrated, 1 failed/);
    const rerun = sigil(["migrate", "--json"]);
    const report = JSON.parse(rerun.stdout) as { applied: number; upToDate: number; failed: number };
    expect(report).toMatchObject({ applied: 0, upToDate: 3, failed: 1 });
    expect(sigil(["status"]).stdout).toMatch(/3 up to date/);
  });

  it.each([
    [["migrate", "--tenant", "umbrella"], /--tenant: no workspace "umbrella" exists/],
    [["migrate", "--concurrency", "0"], /--concurrency must be a whole number from 1 to 64/],
  ])("refuses %j with exit code 2 before changing anything", (args, message) => {
    const run = sigil(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
