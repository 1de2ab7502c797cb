import { NotOnThisEngineError } from "./errors.ts";
import { placedOnPostgresReason, type HybridDatabaseManager } from "./hybrid-manager.ts";

/**
 * Features that work on SQLite's files and have no meaning on an installation whose data is in
 * PostgreSQL. Each answers there with a sentence saying so and what to use instead, never with a
 * crash in a file path (docs/scaling.md).
 */
export type FileFeature = "backups" | "integrity check" | "tenant archives";

const ON_POSTGRES: Record<FileFeature, string> = {
  backups:
    "This installation stores its data in PostgreSQL (DATABASE_URL), so Sigil's file backups (copies of SQLite files) do not apply. Back up the database with PostgreSQL's own tools: pg_dump, or a base backup with WAL archiving (docs/scaling.md: Backups).",
  "tenant archives":
    "This installation stores its data in PostgreSQL (DATABASE_URL), and a tenant archive (sigil export / sigil import) carries a tenant's SQLite file: archives are not available here. Copy a tenant with pg_dump of its schema and its shared rows (docs/scaling.md: Backups).",
  "integrity check":
    "This installation stores its data in PostgreSQL (DATABASE_URL), so the integrity check of tenant files (SQLite's quick_check) does not apply. PostgreSQL checks its own pages: data checksums, and the amcheck extension for indexes.",
};

/** Why `feature` does not apply to this installation, or null when it does. */
export function fileFeatureUnavailable(feature: FileFeature, manager: HybridDatabaseManager): string | null {
  return manager.engine === "postgres" ? ON_POSTGRES[feature] : null;
}

/** Throws NotOnThisEngineError, with the sentence above, when `feature` does not apply to this installation. */
export function assertFileFeatureAvailable(feature: FileFeature, manager: HybridDatabaseManager): void {
  const reason = fileFeatureUnavailable(feature, manager);
  if (reason !== null) throw new NotOnThisEngineError(reason);
}

/** As assertFileFeatureAvailable, and also refused for one tenant whose tables were moved to PostgreSQL (TENANT_POSTGRES_URL). */
export function assertTenantFileFeature(feature: FileFeature, manager: HybridDatabaseManager, tenantId: string): void {
  assertFileFeatureAvailable(feature, manager);
  if (manager.tenantPlacement(tenantId) === "postgres") throw new NotOnThisEngineError(placedOnPostgresReason(tenantId, FEATURE_NOUN[feature]));
}

const FEATURE_NOUN: Record<FileFeature, string> = {
  backups: "a file backup",
  "tenant archives": "a tenant archive (sigil export)",
  "integrity check": "the integrity check of its file",
};
