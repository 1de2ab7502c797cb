import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, promptModel, tenantContext, tenantModel } from "@sigil/db";
import { createTestDatabase, type TestDatabase } from "@sigil/db/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runSigil } from "../run-sigil.ts";

/**
 * `sigil tenants move` as an operator runs it, on a SQLite installation with TENANT_POSTGRES_URL.
 * The CLI process connects with the installation's default role names (sigil_app, sigil_system):
 * no setting names others, and this file is alone on its run's PostgreSQL server.
 */
let database: TestDatabase;
let dataDir: string;
let tenantId: string;

function sigil(args: string[], env: Record<string, string> = { TENANT_POSTGRES_URL: database.url() }) {
  return runSigil(["tenants", "move", ...args], { DATA_DIR: dataDir, ...env });
}

/** The installation as it is on disk now (the CLI wrote it from another process). */
function reopen(): HybridDatabaseManager {
  return HybridDatabaseManager.configure({ dataDir, database: { engine: "sqlite" }, tenantPostgresUrl: database.url() });
}

async function placement(): Promise<string | undefined> {
  return (await tenantModel.findById(tenantId))?.placement;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-move-"));
  await reopen().runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  tenantId = (await tenantModel.createTenant({ name: "Acme Corporation", slug: "acme", plan: "pro", settings: { features: [], limits } })).id;
  await tenantContext.runWithTenant(tenantId, () => promptModel.create({ name: "Greeting", template: "Hello {{name}}" }));
});

beforeEach(() => {
  HybridDatabaseManager.closeInstance();
});

afterAll(async () => {
  HybridDatabaseManager.closeInstance();
  rmSync(dataDir, { recursive: true, force: true });
  await database.drop();
});

describe("sigil tenants move", () => {
  it("says what is missing or wrong in the command line (exit 2), and moves nothing", async () => {
    const noTarget = sigil(["--tenant", "acme"]);
    expect([noTarget.code, noTarget.stderr.trim()]).toEqual([2, "sigil: Say where to move the workspace: --to postgres or --to sqlite."]);
    const unknown = sigil(["--tenant", "acme", "--to", "mysql"]);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, 'sigil: Say where to move the workspace: --to postgres or --to sqlite (not "mysql").']);
    const noTenant = sigil(["--to", "postgres"]);
    expect([noTenant.code, noTenant.stderr.trim()]).toEqual([2, "sigil: Say which workspace to move: --tenant <slug>."]);
    reopen();
    expect(await placement()).toBe("local");
  });

  it("refuses on an installation without TENANT_POSTGRES_URL, naming the setting (exit 1)", async () => {
    const run = sigil(["--tenant", "acme", "--to", "postgres"], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("TENANT_POSTGRES_URL is not set");
    reopen();
    expect(await placement()).toBe("local");
  });

  it("moves the workspace to PostgreSQL with progress, refuses a second move there, and moves it back as JSON", async () => {
    const there = sigil(["--tenant", "acme", "--to", "postgres"]);
    expect(there.stderr).toContain("copying…");
    expect(there.stderr).toContain("14/14 tables copied");
    expect(there.stderr).toContain("verifying…");
    expect(there.stdout).toMatch(
      /^Moved workspace "acme" to PostgreSQL \(TENANT_POSTGRES_URL\): \d+ rows in 14 tables, each table's count and SHA-256 equal on both sides/,
    );
    expect(there.code).toBe(0);
    reopen();
    expect(await placement()).toBe("postgres");
    expect((await tenantContext.runWithTenant(tenantId, () => promptModel.findMany())).map((p) => p.name)).toEqual(["Greeting"]);
    HybridDatabaseManager.closeInstance();

    const again = sigil(["--tenant", "acme", "--to", "postgres"]);
    expect([again.code, again.stderr.trim()]).toEqual([1, 'sigil: Workspace "acme" already lives in PostgreSQL; nothing to move.']);

    const back = sigil(["--tenant", "acme", "--to", "sqlite", "--json"]);
    expect(back.code).toBe(0);
    const report = JSON.parse(back.stdout) as { slug: string; tenantId: string; from: string; to: string; tables: { table: string; rows: number }[] };
    expect(report).toMatchObject({ slug: "acme", tenantId, from: "postgres", to: "local" });
    expect(report.tables.map((table) => table.table)).toContain("prompts");
    reopen();
    expect(await placement()).toBe("local");
    expect((await tenantContext.runWithTenant(tenantId, () => promptModel.findMany())).map((p) => p.name)).toEqual(["Greeting"]);
  });
});
