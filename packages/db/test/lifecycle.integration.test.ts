/**
 * The tenant lifecycle against real files: provision (and its failures), suspend / reactivate,
 * delete with open handles and held leases. docs/architecture.md, Deleting tenants: deleting a tenant closes its
 * handle, removes -wal and -shm, purges its shared rows; nothing left behind blocks its slug.
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConflictError, MigrationFailedError, NotFoundError, SigilDbError, TenantNotFoundError } from "../src/errors.ts";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { apiKeyModel } from "../src/models/api-key.ts";
import { executionModel } from "../src/models/execution.ts";
import { promptModel } from "../src/models/prompt.ts";
import { recordSignInFailure, tenantSignInKey } from "../src/models/sign-in-guard.ts";
import { sessionModel } from "../src/models/session.ts";
import { settingsModel } from "../src/models/settings.ts";
import { tenantModel, type TenantRow } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { tenantInput, useTempDataDir } from "./helpers.ts";
import {
  deferred,
  filesOfTenant,
  nonSharedEntries,
  openTenantFiles,
  rawRegistryCount,
  rawSharedCount,
  rejectionOf,
  SHARED_TENANT_TABLES,
  sleep,
  thrownBy,
  writeMigrationsFolder,
} from "./integration-helpers.ts";

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let fixtureDirs: string[] = [];

beforeEach(async () => {
  env = await useTempDataDir({ tenantCacheSize: 4 });
});

afterEach(async () => {
  await env.cleanup();
  for (const dir of fixtureDirs) rmSync(dir, { recursive: true, force: true });
  fixtureDirs = [];
});

function manager(): HybridDatabaseManager {
  return HybridDatabaseManager.getInstance();
}

function tempFixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sigil-migrations-"));
  fixtureDirs.push(dir);
  return dir;
}

interface Population {
  users: number;
  sessions: number;
  apiKeys: number;
  settings: number;
  prompts: number;
}

/** Writes users, sessions, API keys, settings (shared.sqlite) and prompts/executions (tenant file). */
async function populate(tenant: TenantRow): Promise<Population> {
  return tenantContext.runWithTenant(tenant.id, async () => {
    const alice = await userModel.create({ email: "alice@example.test", name: "Alice", role: "admin", status: "active" });
    const bob = await userModel.create({ email: "bob@example.test", name: "Bob" });
    for (const user of [alice, bob]) {
      await sessionModel.create({
        userId: user.id,
        tokenHash: `${tenant.slug}-${user.id}-token`,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
    }
    await apiKeyModel.create({
      userId: alice.id,
      name: "ci",
      keyId: `key-${tenant.slug}`,
      secretHash: "0".repeat(64),
      scopes: ["prompts:read", "executions:run"],
    });
    await settingsModel.upsert("provider", "openai", { model: "gpt" });
    await settingsModel.upsert("provider", "anthropic", { model: "claude" });
    const prompt = await promptModel.create({ name: `${tenant.slug}-prompt`, template: "Hi {{name}}" });
    await executionModel.create({
      promptId: prompt.id,
      promptVersion: 1,
      input: { name: "x" },
      provider: "test",
      model: "echo",
    });
    return { users: 2, sessions: 2, apiKeys: 1, settings: 2, prompts: 1 };
  });
}

/** Counts seen through the models inside the tenant's own context. */
async function countsInContext(tenant: TenantRow): Promise<Population> {
  return tenantContext.runWithTenant(tenant.id, async () => ({
    users: await userModel.count(),
    sessions: await sessionModel.count(),
    apiKeys: await apiKeyModel.count(),
    settings: await settingsModel.count(),
    prompts: await promptModel.count(),
  }));
}

/** Counts of the shared-table models inside a tenant's context (no tenant file needed). */
async function sharedCountsInContext(tenantId: string): Promise<Omit<Population, "prompts">> {
  return tenantContext.runWithTenant(tenantId, async () => ({
    users: await userModel.count(),
    sessions: await sessionModel.count(),
    apiKeys: await apiKeyModel.count(),
    settings: await settingsModel.count(),
  }));
}

function expectNoTraceOf(tenantId: string, slug: string): void {
  const m = manager();
  expect(filesOfTenant(env.dataDir, tenantId)).toEqual([]);
  expect(openTenantFiles(env.dataDir).filter((f) => f.tenantId === tenantId)).toEqual([]);
  expect(m.isTenantOpen(tenantId)).toBe(false);
  for (const table of SHARED_TENANT_TABLES) expect({ table, n: rawSharedCount(m, table, tenantId) }).toEqual({ table, n: 0 });
  expect(rawRegistryCount(m, { id: tenantId })).toBe(0);
  expect(rawRegistryCount(m, { slug })).toBe(0);
}

describe("createTenant", () => {
  it("creates exactly one file with the whole tenant schema, and a registry row", async () => {
    const row = await tenantModel.createTenant(tenantInput("acme"));

    expect(nonSharedEntries(env.dataDir)).toEqual([`tenant_${row.id}.sqlite`]);
    expect(row).toMatchObject({ slug: "acme", status: "active", placement: "local" });
    expect(await tenantModel.findBySlug("acme")).toMatchObject({ id: row.id });

    const migrations = manager().tenantMigrations();
    manager().withTenantDatabase(row.id, (db) => {
      const tables = (db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(["prompts", "prompt_versions", "executions", "deployments", "files", "audit_log"]));
      const applied = db.$client.prepare('SELECT count(*) AS n FROM "__drizzle_migrations"').get() as { n: number };
      expect(applied.n).toBe(migrations.length);
      expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    });
    // Usable right away and empty.
    expect(await countsInContext(row)).toEqual({ users: 0, sessions: 0, apiKeys: 0, settings: 0, prompts: 0 });
  });

  it("a failing tenant migration leaves no file, no -wal/-shm and no registry row; the slug stays free", async () => {
    const broken = writeMigrationsFolder(tempFixtureDir(), [
      {
        tag: "0000_broken",
        sql: [
          "CREATE TABLE `prompts` (`id` text PRIMARY KEY NOT NULL, `name` text NOT NULL);",
          "INSERT INTO `prompts` (`id`, `name`) VALUES ('a', 'a');",
          "CREATE TABLE `this is` not valid sql;",
        ].join("\n--> statement-breakpoint\n"),
      },
    ]);
    await env.cleanup();
    env = await useTempDataDir({ tenantCacheSize: 4, tenantMigrationsFolder: broken });

    const error = await rejectionOf(tenantModel.createTenant(tenantInput("acme")));
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect(nonSharedEntries(env.dataDir)).toEqual([]);
    expect(openTenantFiles(env.dataDir)).toEqual([]);
    expect(rawRegistryCount(manager())).toBe(0);
    expect(await tenantModel.findBySlug("acme")).toBeNull();

    // Same data directory, working migrations: the slug can be provisioned.
    HybridDatabaseManager.configure({ dataDir: env.dataDir, tenantCacheSize: 4 });
    const row = await tenantModel.createTenant(tenantInput("acme"));
    expect(nonSharedEntries(env.dataDir)).toEqual([`tenant_${row.id}.sqlite`]);
    manager().close();
  });

  it("a migration that breaks a foreign key is rolled back and leaves nothing behind", async () => {
    const broken = writeMigrationsFolder(tempFixtureDir(), [
      {
        tag: "0000_fk",
        sql: [
          "CREATE TABLE `parents` (`id` text PRIMARY KEY NOT NULL);",
          "CREATE TABLE `children` (`id` text PRIMARY KEY NOT NULL, `parent_id` text NOT NULL REFERENCES `parents`(`id`));",
          "INSERT INTO `children` (`id`, `parent_id`) VALUES ('c', 'missing');",
        ].join("\n--> statement-breakpoint\n"),
      },
    ]);
    await env.cleanup();
    env = await useTempDataDir({ tenantCacheSize: 4, tenantMigrationsFolder: broken });

    expect(await rejectionOf(tenantModel.createTenant(tenantInput("acme")))).toBeInstanceOf(MigrationFailedError);
    expect(nonSharedEntries(env.dataDir)).toEqual([]);
    expect(rawRegistryCount(manager())).toBe(0);
  });

  it("a duplicate slug is a ConflictError and creates no extra file", async () => {
    const first = await tenantModel.createTenant(tenantInput("acme"));
    const error = await rejectionOf(tenantModel.createTenant(tenantInput("acme", { name: "Impostor" })));
    expect(error).toBeInstanceOf(ConflictError);
    expect(nonSharedEntries(env.dataDir)).toEqual([`tenant_${first.id}.sqlite`]);
    expect(rawRegistryCount(manager(), { slug: "acme" })).toBe(1);
    expect(await tenantModel.findBySlug("acme")).toMatchObject({ id: first.id, name: "Tenant acme" });
  });

  it("two concurrent creations of one slug: one wins, the other is a ConflictError, one file", async () => {
    const results = await Promise.allSettled([
      tenantModel.createTenant(tenantInput("race")),
      tenantModel.createTenant(tenantInput("race")),
      tenantModel.createTenant(tenantInput("race")),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<TenantRow> => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const r of lost) expect(r.reason).toBeInstanceOf(ConflictError);
    const winner = won[0]?.value;
    if (!winner) throw new Error("no winner");
    expect(nonSharedEntries(env.dataDir)).toEqual([`tenant_${winner.id}.sqlite`]);
    expect(rawRegistryCount(manager())).toBe(1);
  });

  it("a custom domain already taken fails at registration and removes the file it created", async () => {
    const first = await tenantModel.createTenant(
      tenantInput("first", { settings: { domain: "Prompts.Example.com", features: [], limits: { users: 1, storage: 1, executions_per_month: 1 } } }),
    );
    const error = await rejectionOf(
      tenantModel.createTenant(
        tenantInput("second", {
          settings: { domain: "prompts.example.com", features: [], limits: { users: 1, storage: 1, executions_per_month: 1 } },
        }),
      ),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(nonSharedEntries(env.dataDir)).toEqual([`tenant_${first.id}.sqlite`]);
    expect(await tenantModel.findBySlug("second")).toBeNull();
  });
});

describe("suspend and reactivate", () => {
  it("change the status in the registry and leave the tenant's data alone", async () => {
    const row = await tenantModel.createTenant(tenantInput("acme"));
    await populate(row);

    await sleep(2);
    const suspended = await tenantModel.suspend(row.id);
    expect(suspended.status).toBe("suspended");
    expect(suspended.updatedAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
    expect((await tenantModel.findById(row.id))?.status).toBe("suspended");
    expect((await tenantModel.findActive()).map((t) => t.id)).not.toContain(row.id);

    const reactivated = await tenantModel.reactivate(row.id);
    expect(reactivated.status).toBe("active");
    expect((await tenantModel.findById(row.id))?.status).toBe("active");
    expect((await tenantModel.findActive()).map((t) => t.id)).toContain(row.id);

    expect(await countsInContext(row)).toEqual({ users: 2, sessions: 2, apiKeys: 1, settings: 2, prompts: 1 });
    expect(filesOfTenant(env.dataDir, row.id)).toContain(`tenant_${row.id}.sqlite`);
  });

  it("an unknown tenant is a NotFoundError and creates nothing", async () => {
    const id = randomUUID();
    expect(await rejectionOf(tenantModel.suspend(id))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(tenantModel.reactivate(id))).toBeInstanceOf(NotFoundError);
    expect(nonSharedEntries(env.dataDir)).toEqual([]);
    expect(rawRegistryCount(manager())).toBe(0);
  });
});

describe("deleteTenant", () => {
  async function twoPopulatedTenants(): Promise<{ doomed: TenantRow; bystander: TenantRow }> {
    const doomed = await tenantModel.createTenant(tenantInput("doomed"));
    const bystander = await tenantModel.createTenant(tenantInput("bystander"));
    await populate(doomed);
    await populate(bystander);
    return { doomed, bystander };
  }

  async function expectBystanderUntouched(bystander: TenantRow): Promise<void> {
    expect(await countsInContext(bystander)).toEqual({ users: 2, sessions: 2, apiKeys: 1, settings: 2, prompts: 1 });
    for (const table of SHARED_TENANT_TABLES) expect(rawSharedCount(manager(), table, bystander.id)).toBeGreaterThan(0);
    expect(filesOfTenant(env.dataDir, bystander.id)).toContain(`tenant_${bystander.id}.sqlite`);
    expect(await tenantModel.findBySlug("bystander")).toMatchObject({ id: bystander.id, status: "active" });
    manager().withTenantDatabase(bystander.id, (db) => expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok"));
  }

  async function expectSlugReusableAndEmpty(slug: string, oldId: string): Promise<void> {
    const again = await tenantModel.createTenant(tenantInput(slug));
    expect(again.id).not.toBe(oldId);
    expect(await countsInContext(again)).toEqual({ users: 0, sessions: 0, apiKeys: 0, settings: 0, prompts: 0 });
    // The old tenant's unique values (emails, key ids) are free in the new tenant.
    await tenantContext.runWithTenant(again.id, async () => {
      await userModel.create({ email: "alice@example.test", name: "Alice again" });
      expect(await promptModel.findByName(`${slug}-prompt`)).toBeNull();
    });
    expect(filesOfTenant(env.dataDir, again.id)).toContain(`tenant_${again.id}.sqlite`);
  }

  it("with an idle handle open: closes it, removes file, -wal, -shm and every shared row", async () => {
    const { doomed, bystander } = await twoPopulatedTenants();
    expect(manager().isTenantOpen(doomed.id)).toBe(true);
    expect(filesOfTenant(env.dataDir, doomed.id)).toEqual(
      expect.arrayContaining([`tenant_${doomed.id}.sqlite`, `tenant_${doomed.id}.sqlite-wal`, `tenant_${doomed.id}.sqlite-shm`]),
    );
    for (const table of SHARED_TENANT_TABLES) expect(rawSharedCount(manager(), table, doomed.id)).toBeGreaterThan(0);
    const lockout = { maxFailures: 5, lockoutMs: 60_000 };
    await recordSignInFailure(tenantSignInKey(doomed.id, "alice@example.test"), lockout);
    await recordSignInFailure(tenantSignInKey(bystander.id, "alice@example.test"), lockout);
    const signInCounters = (tenantId: string) =>
      manager().getSharedDatabase().$client.prepare("SELECT count(*) AS n FROM sign_in_failures WHERE key LIKE ?").get(`${tenantId}:%`);

    const deletion = await tenantModel.deleteTenant(doomed.id);
    expect(signInCounters(doomed.id)).toEqual({ n: 0 });
    expect(signInCounters(bystander.id)).toEqual({ n: 1 });

    expect(deletion).toEqual({
      tenantId: doomed.id,
      slug: "doomed",
      removed: { users: 2, sessions: 2, apiKeys: 1, settings: 2 },
    });
    expectNoTraceOf(doomed.id, "doomed");
    // Seen from another tenant's context nothing changed.
    await expectBystanderUntouched(bystander);
    // The deleted tenant is gone for the models too: fail closed.
    expect(await rejectionOf(tenantContext.runWithTenant(doomed.id, () => promptModel.count()))).toBeInstanceOf(TenantNotFoundError);
    // Its shared rows are gone as seen through the models, even from its own (stale) context.
    expect(await sharedCountsInContext(doomed.id)).toEqual({ users: 0, sessions: 0, apiKeys: 0, settings: 0 });
    expect(filesOfTenant(env.dataDir, doomed.id)).toEqual([]);

    await expectSlugReusableAndEmpty("doomed", doomed.id);
    await expectBystanderUntouched(bystander);
  });

  it("while a lease is held: files are gone at once, the holder is not broken, the handle closes on release", async () => {
    const { doomed, bystander } = await twoPopulatedTenants();
    const lease = manager().acquireTenantDatabase(doomed.id);
    const client = lease.db.$client;

    await tenantModel.deleteTenant(doomed.id);

    expect(filesOfTenant(env.dataDir, doomed.id)).toEqual([]);
    expect(manager().isTenantOpen(doomed.id)).toBe(false);
    // The holder finishes its work without an exception.
    expect(client.open).toBe(true);
    expect((client.prepare("SELECT count(*) AS n FROM prompts").get() as { n: number }).n).toBe(1);
    client.prepare("INSERT INTO prompts (id, name, template) VALUES ('late', 'late', 'x')").run();
    // New work for the deleted tenant is refused.
    expect(thrownBy(() => manager().acquireTenantDatabase(doomed.id))).toBeInstanceOf(TenantNotFoundError);
    // The slug is free even while the old handle is still held.
    const again = await tenantModel.createTenant(tenantInput("doomed"));
    expect(await countsInContext(again)).toEqual({ users: 0, sessions: 0, apiKeys: 0, settings: 0, prompts: 0 });

    lease.release();
    expect(client.open).toBe(false);
    expect(filesOfTenant(env.dataDir, doomed.id)).toEqual([]);
    expect(openTenantFiles(env.dataDir).filter((f) => f.tenantId === doomed.id)).toEqual([]);
    for (const table of SHARED_TENANT_TABLES) expect(rawSharedCount(manager(), table, doomed.id)).toBe(0);
    expect(await sharedCountsInContext(doomed.id)).toEqual({ users: 0, sessions: 0, apiKeys: 0, settings: 0 });
    expect(rawRegistryCount(manager(), { id: doomed.id })).toBe(0);
    expect(manager().poolStats().inUse).toBe(0);
    await expectBystanderUntouched(bystander);
  });

  it("while a request of that tenant is running: its next query fails closed, nothing is left behind", async () => {
    const { doomed, bystander } = await twoPopulatedTenants();
    const deleted = deferred();
    const wrote = deferred();
    const request = tenantContext.runWithTenant(doomed.id, async () => {
      await promptModel.create({ name: "in-flight", template: "x" });
      wrote.resolve();
      await deleted.promise;
      return promptModel.create({ name: "after-delete", template: "x" });
    });
    await wrote.promise;
    expect(manager().poolStats().inUse).toBeGreaterThanOrEqual(1);
    await tenantModel.deleteTenant(doomed.id);
    deleted.resolve();

    expect(await rejectionOf(request)).toBeInstanceOf(TenantNotFoundError);
    expectNoTraceOf(doomed.id, "doomed");
    expect(manager().poolStats().inUse).toBe(0);
    await expectSlugReusableAndEmpty("doomed", doomed.id);
    await expectBystanderUntouched(bystander);
  });

  it("another manager (another process: CLI, worker) with a cached handle stops serving the deleted tenant", async () => {
    const { doomed, bystander } = await twoPopulatedTenants();
    // A second manager on the same data directory, as the CLI or the execution worker would have.
    const other = new HybridDatabaseManager({ dataDir: env.dataDir, tenantCacheSize: 4 });
    try {
      other.withTenantDatabase(doomed.id, (db) => db.$client.prepare("SELECT count(*) FROM prompts").get());
      expect(other.isTenantOpen(doomed.id)).toBe(true);

      await tenantModel.deleteTenant(doomed.id);
      expect(filesOfTenant(env.dataDir, doomed.id)).toEqual([]);
      expect(rawRegistryCount(manager(), { id: doomed.id })).toBe(0);

      // The registry row and the file are gone: the other manager must not keep serving (and
      // acknowledging writes into) the unlinked file from its cache.
      let outcome: unknown;
      try {
        other.withTenantDatabase(doomed.id, (db) => db.$client.prepare("INSERT INTO prompts (id, name, template) VALUES ('ghost', 'ghost', 'x')").run());
        outcome = "the deleted tenant was still served from the cache";
      } catch (error) {
        outcome = error;
      }
      const code = outcome instanceof SigilDbError ? outcome.code : String(outcome);
      expect(["TENANT_NOT_FOUND", "TENANT_DATABASE_MISSING"]).toContain(code);
      expect(filesOfTenant(env.dataDir, doomed.id)).toEqual([]);
    } finally {
      other.close();
    }
    expect(openTenantFiles(env.dataDir).filter((f) => f.tenantId === doomed.id)).toEqual([]);
    await expectBystanderUntouched(bystander);
  });

  it("with no handle open, and twice in a row", async () => {
    const { doomed, bystander } = await twoPopulatedTenants();
    manager().closeTenantDatabase(doomed.id);
    await tenantModel.deleteTenant(doomed.id);
    expectNoTraceOf(doomed.id, "doomed");
    expect(await rejectionOf(tenantModel.deleteTenant(doomed.id))).toBeInstanceOf(NotFoundError);
    expect(await rejectionOf(tenantModel.deleteTenant(randomUUID()))).toBeInstanceOf(NotFoundError);
    await expectBystanderUntouched(bystander);
  });

  it("leaves the data directory as it was before the tenant existed", async () => {
    const before = nonSharedEntries(env.dataDir);
    for (let i = 0; i < 5; i += 1) {
      const row = await tenantModel.createTenant(tenantInput("cycle"));
      await populate(row);
      await tenantModel.deleteTenant(row.id);
      expectNoTraceOf(row.id, "cycle");
    }
    expect(nonSharedEntries(env.dataDir)).toEqual(before);
    expect(openTenantFiles(env.dataDir)).toEqual([]);
  });
});

describe("interrupted provisioning and restarts", () => {
  it("a manager starting over tenant files the registry does not know (shared.sqlite lost or restored) never deletes them", async () => {
    const tenant = await tenantModel.createTenant(tenantInput("survivor"));
    const file = manager().tenantDatabasePath(tenant.id);
    manager().getSharedDatabase().$client.prepare("DELETE FROM tenants WHERE id = ?").run(tenant.id);
    env.manager.close();
    const restarted = HybridDatabaseManager.configure({ dataDir: env.dataDir });
    try {
      expect(existsSync(file)).toBe(true);
      expect(restarted.reclaimInterruptedProvisioning()).toEqual({ completed: [], removed: [] });
      expect(existsSync(file)).toBe(true);
    } finally {
      restarted.close();
    }
  });

  it("a dead provisioner's unregistered file is removed; a registered one is moved into place; a live one is left alone", async () => {
    const dead = randomUUID();
    const registeredId = randomUUID();
    const live = randomUUID();
    const build = (id: string) => {
      const path = join(env.dataDir, `tenant_${id}.provisioning.sqlite`);
      copyFileSync(manager().tenantDatabasePath(template.id), path);
      return path;
    };
    const template = await tenantModel.createTenant(tenantInput("template"));
    const deadPath = build(dead);
    const registeredPath = build(registeredId);
    const livePath = build(live);
    manager()
      .getSharedDatabase()
      .$client.prepare(
        "INSERT INTO tenants (id, name, slug, limit_users, limit_storage_mb, limit_executions_per_month) VALUES (?, 'R', 'half-done', 5, 100, 100)",
      )
      .run(registeredId);
    // A provisioner that is still alive holds the file's lock.
    const holder = new (await import("better-sqlite3")).default(livePath);
    holder.pragma("locking_mode = EXCLUSIVE");
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const outcome = manager().reclaimInterruptedProvisioning();
      expect(outcome).toEqual({ completed: [registeredId], removed: [dead] });
      expect(existsSync(deadPath)).toBe(false);
      expect(existsSync(registeredPath)).toBe(false);
      expect(existsSync(manager().tenantDatabasePath(registeredId))).toBe(true);
      expect(existsSync(livePath)).toBe(true);
      // The rolled-forward tenant is complete and usable.
      expect(await tenantContext.runWithTenant(registeredId, () => promptModel.count())).toBe(0);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });
});
