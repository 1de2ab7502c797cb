import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import type { Session } from "../src/engine/session.ts";
import { HybridDatabaseManager, type HybridDatabaseOptions } from "../src/hybrid-manager.ts";
import { tenantModel, type NewTenant, type TenantRow } from "../src/models/tenant.ts";
import { createTestDatabase } from "./support/postgres-database.ts";
import { testEngine } from "./support/test-engine.ts";

/**
 * A fresh installation configured as the process-wide manager: a temp data directory and, when
 * SIGIL_TEST_ENGINE=postgres (the vitest project "postgres"), a PostgreSQL database of its own on
 * the run's server with roles named for it; the shared schema is migrated either way.
 * `processWide: false` leaves the process-wide manager alone (a second installation beside it).
 */
export async function useTempDataDir(
  options: Partial<HybridDatabaseOptions> = {},
  { processWide = true }: { processWide?: boolean } = {},
): Promise<{
  dataDir: string;
  manager: HybridDatabaseManager;
  cleanup: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-test-"));
  const database = testEngine() === "postgres" ? await createTestDatabase() : undefined;
  const manager = (
    processWide ? HybridDatabaseManager.configure.bind(HybridDatabaseManager) : (o: Partial<HybridDatabaseOptions>) => new HybridDatabaseManager(o)
  )({
    dataDir,
    tenantCacheSize: 8,
    ...(database
      ? { database: { engine: "postgres", url: database.url() }, pgRoles: { app: database.roleName("app"), system: database.roleName("system") } }
      : {}),
    ...options,
  });
  await manager.runSharedMigrations();
  return {
    dataDir,
    manager,
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

/** Reads the shared tables as the system does (the registry, the control plane), on either engine. */
export function readShared<T>(fn: (session: Session) => Promise<T>): Promise<T> {
  return HybridDatabaseManager.getInstance().sharedStore().session("read", fn);
}
