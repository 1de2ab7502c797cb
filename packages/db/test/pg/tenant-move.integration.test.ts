/**
 * `sigil tenants move` underneath (src/archive/move-tenant.ts): a SQLite installation places one
 * tenant's own tables in TENANT_POSTGRES_URL's PostgreSQL and back. Every row arrives (count and
 * checksum per table), the registry's `placement` routes every process to the new place from its
 * next transaction, a copy that does not match stops the move with the tenant untouched, and a
 * writer still holding the old file cannot write into it.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { tenantChecksums } from "../../src/archive/copy-tenant-rows.ts";
import { moveTenantStorage } from "../../src/archive/move-tenant.ts";
import { openSqlite } from "../../src/connection.ts";
import type { Session } from "../../src/engine/session.ts";
import { NotOnThisEngineError, TenantMoveError } from "../../src/errors.ts";
import { HybridDatabaseManager, type HybridDatabaseOptions } from "../../src/hybrid-manager.ts";
import { HybridMigrationManager } from "../../src/migrations/hybrid-migration-manager.ts";
import { auditLogModel, executionModel, fileModel, promptModel, tenantModel } from "../../src/models/index.ts";
import { tenantSchemaName } from "../../src/pg/names.ts";
import { tenantContext } from "../../src/tenant-context.ts";
import { installationEnvironment } from "../support/child-installation.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.ts";
import { tenantInput } from "../helpers.ts";

let database: TestDatabase;
let dataDir: string;
let manager: HybridDatabaseManager;
let tenantId: string;
let neighbourId: string;

function installation(): Partial<HybridDatabaseOptions> {
  return {
    dataDir,
    database: { engine: "sqlite" },
    tenantPostgresUrl: database.url(),
    pgRoles: { app: database.roleName("app"), system: database.roleName("system") },
    tenantCacheSize: 8,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-move-"));
  manager = HybridDatabaseManager.configure(installation());
  await manager.runSharedMigrations();
  tenantId = (await tenantModel.createTenant(tenantInput("mover"))).id;
  neighbourId = (await tenantModel.createTenant(tenantInput("stays"))).id;
  await tenantContext.runWithTenant(tenantId, fill);
  await tenantContext.runWithTenant(neighbourId, () => promptModel.create({ name: "Neighbour", template: "n" }));
});

afterEach(async () => {
  // Whatever a test left in PostgreSQL: the next test provisions the same slugs with new ids.
  for (const id of [tenantId, neighbourId]) await manager.placementEngine().dropTenantSchema(id);
  manager.close();
  await manager.whenClosed();
  rmSync(dataDir, { recursive: true, force: true });
});

async function fill(): Promise<void> {
  const prompt = await promptModel.create({ name: "Greeting ✓", template: "Hello {{customer}}" });
  await promptModel.update(prompt.id, { template: "Hi {{customer}}" });
  await executionModel.create({ promptId: prompt.id, promptVersion: 2, input: { customer: "Zoë" }, provider: "template", model: "none" });
  await fileModel.store({ name: "notes.bin", mimeType: "application/octet-stream", content: Buffer.from([0, 1, 2, 255]) });
  await auditLogModel.record({ actorType: "system", action: "move.test", details: { unicode: "日本語" } });
}

function sums(id: string) {
  return manager.withTenantStore(id, (store) => store.session("read", tenantChecksums));
}

async function schemaExists(id: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: database.url() });
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [tenantSchemaName(id)])).rowCount === 1;
  } finally {
    await client.end();
  }
}

async function placementOf(id: string): Promise<string | undefined> {
  return manager
    .sharedStore()
    .session("read", async (s) => (await s.db.select({ placement: s.t.tenants.placement }).from(s.t.tenants).where(eq(s.t.tenants.id, id)))[0]?.placement);
}

test("a tenant moves to PostgreSQL and back with every row, and is served from wherever it lives", async () => {
  const before = await sums(tenantId);
  const steps: string[] = [];
  const report = await moveTenantStorage(manager, tenantId, "postgres", { onProgress: ({ step }) => steps.push(step) });
  expect(report).toMatchObject({ tenantId, from: "local", to: "postgres" });
  expect(report.rows).toBeGreaterThan(5);
  expect(new Set(steps)).toEqual(new Set(["checking", "copying", "verifying", "switching", "cleaning up"]));
  expect(await placementOf(tenantId)).toBe("postgres");
  expect(existsSync(manager.tenantDatabasePath(tenantId))).toBe(false);
  expect(await schemaExists(tenantId)).toBe(true);
  expect(await sums(tenantId)).toEqual(before);

  // Served from PostgreSQL: reads, and writes that count toward the tenant's totals.
  const [greeting] = await tenantContext.runWithTenant(tenantId, () => promptModel.findMany());
  expect(greeting?.name).toBe("Greeting ✓");
  await tenantContext.runWithTenant(tenantId, () => promptModel.create({ name: "Written in PostgreSQL", template: "pg" }));
  // The neighbour never moved.
  expect(existsSync(manager.tenantDatabasePath(neighbourId))).toBe(true);
  expect((await tenantContext.runWithTenant(neighbourId, () => promptModel.findMany())).map((p) => p.name)).toEqual(["Neighbour"]);

  const inPostgres = await sums(tenantId);
  const back = await moveTenantStorage(manager, tenantId, "local");
  expect(back).toMatchObject({ from: "postgres", to: "local" });
  expect(await placementOf(tenantId)).toBe("local");
  expect(existsSync(manager.tenantDatabasePath(tenantId))).toBe(true);
  expect(await schemaExists(tenantId)).toBe(false);
  expect(await sums(tenantId)).toEqual(inPostgres);
  const names = (await tenantContext.runWithTenant(tenantId, () => promptModel.findMany())).map((p) => p.name).sort();
  expect(names).toEqual(["Greeting ✓", "Written in PostgreSQL"]);
});

test("another process routes to the new place from its next transaction", async () => {
  const other = new HybridDatabaseManager(installation());
  try {
    // The other process has the file open (its pool keeps the handle).
    const read = () =>
      other.withTenantStore(tenantId, (store) => store.session("read", async (s) => (await s.db.select().from(s.t.prompts)).map((p) => p.name)));
    expect(await read()).toEqual(["Greeting ✓"]);
    expect(other.isTenantOpen(tenantId)).toBe(true);
    await moveTenantStorage(manager, tenantId, "postgres");
    await other.withTenantStore(tenantId, (store) =>
      store.session("write", async (s) => {
        await s.db.update(s.t.prompts).set({ name: "Renamed elsewhere" });
      }),
    );
    expect(other.isTenantOpen(tenantId)).toBe(false);
    expect((await tenantContext.runWithTenant(tenantId, () => promptModel.findMany())).map((p) => p.name)).toEqual(["Renamed elsewhere"]);
    await moveTenantStorage(manager, tenantId, "local");
    expect(await read()).toEqual(["Renamed elsewhere"]);
  } finally {
    other.close();
    await other.whenClosed();
  }
});

test("a writer that still holds the moved file fails instead of writing where nobody reads", async () => {
  const stale = openSqlite(manager.tenantDatabasePath(tenantId), { fileMustExist: true, synchronous: "NORMAL", busyTimeoutMs: 1_000 });
  try {
    await moveTenantStorage(manager, tenantId, "postgres");
    expect(() => stale.prepare("UPDATE prompts SET name = 'lost'").run()).toThrow(/moved to PostgreSQL while the write waited/);
    expect(() => stale.prepare("DELETE FROM files").run()).toThrow(/moved to PostgreSQL/);
  } finally {
    stale.close();
  }
  expect((await tenantContext.runWithTenant(tenantId, () => promptModel.findMany())).map((p) => p.name)).toEqual(["Greeting ✓"]);
});

test("a copy that does not match its source stops the move, in both directions, with the tenant where it was", async () => {
  const before = await sums(tenantId);
  const dropOnePrompt = async (target: Session) => {
    await target.db.delete(target.t.promptVersions);
  };
  await expect(moveTenantStorage(manager, tenantId, "postgres", { afterCopy: dropOnePrompt })).rejects.toThrow(
    /does not match its source \(prompt_versions: 2 rows against 0\); nothing was moved/,
  );
  expect(await placementOf(tenantId)).toBe("local");
  expect(await schemaExists(tenantId)).toBe(false);
  expect(await sums(tenantId)).toEqual(before);

  await moveTenantStorage(manager, tenantId, "postgres");
  await expect(moveTenantStorage(manager, tenantId, "local", { afterCopy: dropOnePrompt })).rejects.toBeInstanceOf(TenantMoveError);
  expect(await placementOf(tenantId)).toBe("postgres");
  expect(existsSync(manager.tenantDatabasePath(tenantId))).toBe(false);
  expect(await sums(tenantId)).toEqual(before);
});

test("a tenant already there, or an installation without TENANT_POSTGRES_URL, is refused with a sentence", async () => {
  await expect(moveTenantStorage(manager, tenantId, "local")).rejects.toThrow(/already lives in its SQLite file; nothing to move/);
  await moveTenantStorage(manager, neighbourId, "postgres");
  manager.close();
  await manager.whenClosed();
  manager = HybridDatabaseManager.configure({ ...installation(), tenantPostgresUrl: undefined });
  await expect(moveTenantStorage(manager, tenantId, "postgres")).rejects.toThrow(NotOnThisEngineError);
  await expect(moveTenantStorage(manager, tenantId, "postgres")).rejects.toThrow(/TENANT_POSTGRES_URL is not set/);
  // A tenant placed there is refused by name, never served from an empty or stale file.
  await expect(tenantContext.runWithTenant(neighbourId, () => promptModel.findMany())).rejects.toThrow(
    /lives in PostgreSQL \(placement postgres\), but TENANT_POSTGRES_URL is not set: set it to the database the tenant was moved to/,
  );
  manager.close();
  await manager.whenClosed();
  manager = HybridDatabaseManager.configure(installation());
});

test("file features refuse a tenant in PostgreSQL by name; migrations and deletion reach its schema", async () => {
  await moveTenantStorage(manager, tenantId, "postgres");
  expect(() => manager.quickCheck(tenantId)).toThrow(/lives in PostgreSQL \(placement postgres, TENANT_POSTGRES_URL\)/);

  const migrations = new HybridMigrationManager(manager);
  const status = await migrations.status();
  expect(status.map((row) => [row.slug, row.state]).sort()).toEqual([
    ["mover", "up_to_date"],
    ["stays", "up_to_date"],
  ]);
  // On the installation's scale (the SQLite tenant migrations): a current schema is the latest version.
  const latest = manager.tenantMigrations().length;
  expect(status.find((row) => row.slug === "mover")).toMatchObject({ version: latest, latest });
  const report = await migrations.runTenantMigrations({ concurrency: 1 });
  expect(report).toMatchObject({ total: 2, upToDate: 2, failed: 0, latestVersion: latest });
  expect(report.results.find((row) => row.slug === "mover")).toMatchObject({ fromVersion: latest, toVersion: latest });

  await tenantModel.deleteTenant(tenantId);
  expect(await schemaExists(tenantId)).toBe(false);
  expect(await placementOf(tenantId)).toBeUndefined();
});

const WRITER = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "prompt-writer.ts");

test("another process writing all along: every write it was told committed is in the tenant after each move", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, tenantId], {
    env: { ...process.env, ...installationEnvironment(manager) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const acknowledged: string[] = [];
  const refused: string[] = [];
  let waiting: { count: number; resolve: () => void } | undefined;
  createInterface({ input: child.stdout }).on("line", (line) => {
    const [outcome, name, ...reason] = line.split(" ");
    if (outcome === "ok" && name) acknowledged.push(name);
    else refused.push(`${name ?? "?"}: ${reason.join(" ")}`);
    if (waiting && acknowledged.length >= waiting.count) waiting.resolve();
  });
  const moreWrites = (count: number) =>
    new Promise<void>((resolve) => {
      const target = acknowledged.length + count;
      if (acknowledged.length >= target) resolve();
      else waiting = { count: target, resolve };
    });
  try {
    await moreWrites(10);
    await moveTenantStorage(manager, tenantId, "postgres");
    await moreWrites(10);
    await moveTenantStorage(manager, tenantId, "local");
    await moreWrites(10);
    await moveTenantStorage(manager, tenantId, "postgres");
    await moreWrites(10);
  } finally {
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  const stored = new Set((await tenantContext.runWithTenant(tenantId, () => promptModel.findMany({ limit: 10_000 }))).map((p) => p.name));
  expect(acknowledged.length).toBeGreaterThanOrEqual(40);
  expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
  // Refusals are writes that met the fence or the dropped schema: never acknowledged, never silent.
  for (const reason of refused) expect(reason).not.toMatch(/^\?/);
}, 60_000);
