import type { HybridDatabaseManager } from "../hybrid-manager.ts";
import { sharedDatabasePath, tenantDatabasePath } from "../identifiers.ts";
import type { BackupSource } from "./backup-set.ts";

/** shared.sqlite of the installation, as a backup source. */
export function sharedBackupSource(manager: HybridDatabaseManager): BackupSource {
  return {
    kind: "shared",
    tenantId: null,
    slug: null,
    path: sharedDatabasePath(manager.options.dataDir),
    file: "shared.sqlite",
    migrations: manager.sharedMigrations(),
  };
}

/** A tenant's file, as a backup source (named as in DATA_DIR: `tenant_<uuid>.sqlite`). */
export function tenantBackupSource(manager: HybridDatabaseManager, tenant: { id: string; slug: string }): BackupSource {
  const path = tenantDatabasePath(manager.options.dataDir, tenant.id);
  return { kind: "tenant", tenantId: tenant.id, slug: tenant.slug, path, file: `tenant_${tenant.id}.sqlite`, migrations: manager.tenantMigrations() };
}
