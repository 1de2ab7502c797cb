export * from "./errors.ts";
export * from "./settings.ts";
export * from "./identifiers.ts";
export type { SharedDatabase, TenantDatabase, SqliteConnection } from "./connection.ts";
export { HybridDatabaseManager, type HybridDatabaseOptions, type DatabaseStrategy } from "./hybrid-manager.ts";
export type { TenantLease, PoolStats } from "./tenant-pool.ts";
export { tenantContext } from "./tenant-context.ts";
export { setSlowStatementListener, type SlowStatement, type SlowStatementListener } from "./slow-queries.ts";
export { signalWork, watchWorkSignal, workSignalPath, WORK_SIGNAL_FILE, type WorkSignalWatch } from "./work-signal.ts";
export { lookupApiKey, lookupTenant, RequestPathLookups, type ApiKeyWithOwner, type TenantLookupKind } from "./request-path-cache.ts";
export * from "./models/index.ts";
export * from "./migrations/hybrid-migration-manager.ts";
export * from "./control-plane-repair.ts";
export * from "./control-plane-sizes.ts";
export { quickCheckTenants, type TenantHealth, type TenantHealthOptions } from "./tenant-health.ts";
export { databaseFileBytes, type FileQuickCheck } from "./quick-check.ts";
export { scanDataDirectory, type DataDirectoryScan, type TenantFileOnDisk } from "./data-directory.ts";
export { missingInstallation } from "./installation.ts";
export { DEFAULT_FILE_WORKERS } from "./file-workers/pool.ts";
export { loadMigrations, type MigrationFile } from "./migrations/migration-files.ts";
export { inspectTenantFile, inspectSharedFile, type FileInspection, type InspectionOptions } from "./inspection.ts";
export { inspectTenantStore } from "./inspect-store.ts";
export * from "./schema/index.ts";
export * from "./credentials.ts";
export { seedDemo, prepareDemoOnStart, demoLoginsInUse, isEmptyInstallation, DEMO_TENANTS, DEMO_ADMIN, type DemoStartReport } from "./seed/demo.ts";
export { isSealedSecret, type SecretKey } from "./secrets/secret-box.ts";
export { SecretVault, SECRET_KEY_FILE, NEXT_SECRET_KEY_FILE, type SecretKeyring } from "./secrets/secret-vault.ts";
export { sealPlainSecrets, rotateSecretKey, SecretRotationError, type RotationResult } from "./secrets/maintenance.ts";
export {
  copyLiveDatabase,
  verifySqliteFile,
  fileSha256,
  flushToDisk,
  SqliteFileDamagedError,
  type SqliteCopy,
  type CopyOptions,
} from "./backup/sqlite-copy.ts";
export { exportTenantArchive, type ExportOptions, type ExportResult } from "./archive/export-tenant.ts";
export { importTenantArchive, type ImportOptions, type ImportResult } from "./archive/import-tenant.ts";
export { moveTenantStorage, type MoveProgress, type MoveStep, type TenantMoveReport } from "./archive/move-tenant.ts";
export {
  ARCHIVE_FORMAT_VERSION,
  ARCHIVE_SUFFIX,
  SHARED_TABLE_DECISIONS,
  defaultArchiveName,
  type ArchiveManifest,
  type OmittedSecret,
} from "./archive/format.ts";
export { readHypersigilDatabase, HypersigilSourceError, type HypersigilRow, type HypersigilSource } from "./hypersigil/source.ts";
export { decryptHypersigilSecret, encryptHypersigilSecret, hypersigilKey, HYPERSIGIL_DEFAULT_ENCRYPTION_KEY } from "./hypersigil/secrets.ts";
export { writeHypersigilFixture, type HypersigilFixture, type HypersigilFixtureOptions } from "./hypersigil/fixture.ts";
export { probeSharedWrite, nextActiveTenant, probeTenantFile, type SampledTenant } from "./readiness.ts";
export { takeBackupSet, type BackupSource, type BackupProgress, type BackupSetResult, type TakeBackupOptions } from "./backup/backup-set.ts";
export {
  readBackupSet,
  listBackupSets,
  BackupSetError,
  BACKUP_FORMAT_VERSION,
  MANIFEST_FILE,
  type BackupManifest,
  type ManifestFile,
} from "./backup/manifest.ts";
export { sharedBackupSource, tenantBackupSource } from "./backup/sources.ts";
export { assertFileFeatureAvailable, assertTenantFileFeature, fileFeatureUnavailable, type FileFeature } from "./file-features.ts";
export { restoreIntoLiveFile } from "./backup/restore-in-place.ts";
export { processesHoldingFile } from "./backup/file-holders.ts";
