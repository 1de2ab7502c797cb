import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, type HybridDatabaseOptions } from "../src/hybrid-manager.ts";
import { tenantModel, type NewTenant, type TenantRow } from "../src/models/tenant.ts";

/** A fresh data directory with migrated shared.sqlite, configured as the process-wide manager. */
export function useTempDataDir(options: Partial<HybridDatabaseOptions> = {}): {
  dataDir: string;
  manager: HybridDatabaseManager;
  cleanup: () => void;
} {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-test-"));
  const manager = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 8, ...options });
  manager.runSharedMigrations();
  return {
    dataDir,
    manager,
    cleanup: () => {
      manager.close();
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
