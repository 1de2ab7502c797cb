import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import type { Session } from "../src/engine/session.ts";
import { HybridDatabaseManager, type HybridDatabaseOptions } from "../src/hybrid-manager.ts";
import { tenantModel, type NewTenant, type TenantRow } from "../src/models/tenant.ts";
import { installationEnvironment } from "./support/child-installation.ts";
import { createTestDatabase, type TestDatabase } from "./support/postgres-database.ts";
import { testEngine } from "./support/test-engine.ts";

export interface TempInstallation {
  dataDir: string;
  manager: HybridDatabaseManager;
  /** The installation's PostgreSQL database (project "postgres" only). */
  database: TestDatabase | undefined;
  /** The environment a child process opens the same installation with (support/child-installation.ts). */
  childEnv: Record<string, string>;
  cleanup: () => Promise<void>;
}

/**
 * A fresh installation configured as the process-wide manager: a temp data directory and, when
 * SIGIL_TEST_ENGINE=postgres (the vitest project "postgres"), a PostgreSQL database of its own on
 * the run's server with roles named for it; the shared schema is migrated either way.
 * `processWide: false` leaves the process-wide manager alone (a second installation beside it).
 */
export async function useTempDataDir(
  options: Partial<HybridDatabaseOptions> = {},
  { processWide = true }: { processWide?: boolean } = {},
): Promise<TempInstallation> {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-test-"));
  const database = testEngine() === "postgres" ? await createTestDatabase() : undefined;
  const pgRoles = database ? { app: database.roleName("app"), system: database.roleName("system") } : undefined;
  const manager = (
    processWide ? HybridDatabaseManager.configure.bind(HybridDatabaseManager) : (o: Partial<HybridDatabaseOptions>) => new HybridDatabaseManager(o)
  )({
    dataDir,
    tenantCacheSize: 8,
    // Never the environment's DATABASE_URL: the project decides the engine.
    ...(database && pgRoles ? { database: { engine: "postgres", url: database.url() }, pgRoles } : { database: { engine: "sqlite" } }),
    ...options,
  });
  await manager.runSharedMigrations();
  return {
    dataDir,
    manager,
    database,
    childEnv: installationEnvironment(manager),
    cleanup: async () => {
      manager.close();
      await manager.whenClosed();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tenantInput(slug: string, overrides: Partial<NewTenant> = {}): NewTenant {
  return {
    name: `Tenant ${slug}`,
    slug,
    plan: "free",
    settings: { features: [], limits: { users: 5, storage: 100, executions_per_month: 1000 } },
    ...overrides,
  };
}

export async function createTenants(...slugs: string[]): Promise<TenantRow[]> {
  const rows: TenantRow[] = [];
  for (const slug of slugs) rows.push(await tenantModel.createTenant(tenantInput(slug)));
  return rows;
}

/**
 * A test of SQLite itself (its files, its connection lock, its prepared statements, its query
 * plans): it does not run in the vitest project "postgres", which has its own tests of the same
 * guarantees where they apply (test/pg).
 */
export const sqliteOnlyTest = test.skipIf(testEngine() === "postgres");

/** A test of a guarantee PostgreSQL gives its own way (the twin of a `sqliteOnlyTest` beside it). */
export const postgresOnlyTest = test.skipIf(testEngine() !== "postgres");

/** Reads the shared tables as the system does (the registry, the control plane), on either engine. */
export function readShared<T>(fn: (session: Session) => Promise<T>): Promise<T> {
  return HybridDatabaseManager.getInstance().sharedStore().session("read", fn);
}
