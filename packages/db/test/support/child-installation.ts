import { HybridDatabaseManager, type HybridDatabaseOptions } from "../../src/hybrid-manager.ts";

/**
 * Test fixtures that run in processes of their own (a second server, a worker to SIGKILL) open the
 * installation of the test that spawned them, on either engine (the `@sigil/db/test-support/child`
 * export). On PostgreSQL a test database names its own roles (postgres-database.ts), which no
 * setting of the app names: they travel in SIGIL_TEST_PG_ROLES.
 */
const ROLES_VARIABLE = "SIGIL_TEST_PG_ROLES";

/** The environment a child process needs to open `manager`'s installation (configureChildInstallation). */
export function installationEnvironment(manager: HybridDatabaseManager): Record<string, string> {
  const { database, dataDir, pgRoles, tenantPostgresUrl } = manager.options;
  const roles = { [ROLES_VARIABLE]: `${pgRoles.app},${pgRoles.system}` };
  if (database.engine === "sqlite")
    return { DATA_DIR: dataDir, ...(tenantPostgresUrl === undefined ? {} : { TENANT_POSTGRES_URL: tenantPostgresUrl, ...roles }) };
  return { DATA_DIR: dataDir, DATABASE_URL: database.url, ...roles };
}

/** In a child process: the installation its parent named with installationEnvironment (`options` on top). */
export function configureChildInstallation(options: Partial<HybridDatabaseOptions> = {}): HybridDatabaseManager {
  if (!process.env.DATA_DIR) throw new Error("DATA_DIR is required (installationEnvironment of the parent test).");
  const [app, system] = process.env[ROLES_VARIABLE]?.split(",") ?? [];
  return HybridDatabaseManager.configure({ ...(app && system ? { pgRoles: { app, system } } : {}), ...options });
}
