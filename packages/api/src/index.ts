export { appRouter, type AppRouter } from "./root.ts";
export { openApiDocument, REST_PREFIX } from "./rest/openapi.ts";
export { createContext, createInnerContext, type Context, type InnerContext } from "./context.ts";
export { apiConfig, readApiConfig, type ApiConfig } from "./config.ts";
export {
  readBackupSettings,
  readServerSettings,
  readWorkerSettings,
  type BackupSettings,
  type ServerSettings,
  type WorkerSettings,
} from "./server-settings.ts";
export { restoreInstallation, type InstallationRestoreReport } from "./services/restore-installation.ts";
export { restoreTenant, verifiedTenantCopy, type RestoreReport } from "./services/restore.ts";
export { moveTenant, MOVE_DESTINATIONS, type MoveDestination } from "./services/tenant-move.ts";
export { defaultBackupDir, pruneBackupSets, runBackup, type BackupReport, type BackupRequest } from "./services/backups.ts";
export { identifyTenant, type Identification, type TenantIdentifier } from "./tenant-identification.ts";
export { resolveTenant, TenantUnavailableError } from "./tenant-resolution.ts";
export { hostName, parseCookies, requestInfoFrom, type RequestInfo } from "./request-info.ts";
export { createCallerFactory, publicProcedure, router } from "./trpc.ts";
export { describeFailure } from "./errors.ts";
export { authedProcedure, systemAdminProcedure, tenantProcedure, type Access } from "./procedures.ts";
export { authenticate, authenticateApiKey, type Identity } from "./auth/identity.ts";
export { generateApiKey, parseApiKey } from "./auth/api-key-format.ts";
export { apiKeyUsage } from "./auth/usage-recorder.ts";
export { AdminBootstrapError, ensureSystemAdmin, type BootstrapResult } from "./services/bootstrap-admin.ts";
export { enterMaintenance, leaveMaintenance, restoreMaintenanceState } from "./services/tenant-maintenance.ts";
export { describeMaintenance, publicMaintenance } from "./tenant-maintenance-guard.ts";
export { createTenantWithOwner, deleteTenant, reactivateTenant, suspendTenant } from "./services/tenant-admin.ts";
export { exportTenant, importTenant } from "./services/tenant-archive.ts";
export { listUsersWithLocks, resetUserPassword, unlockUser, type UserWithLock } from "./services/user-admin.ts";
export { toPublicUser, type PublicUser } from "./services/public-shapes.ts";
export { toTenantWithUsage, type TenantWithUsage } from "./services/tenant-usage.ts";
export type { AdminActor } from "./services/audit.ts";
export * from "./worker/index.ts";
export * from "./outbound/index.ts";
/** Most procedures one batch request may call (the API refuses more; clients split at it). */
export { MAX_BATCH_SIZE } from "@sigil/validators";
export {
  importHypersigil,
  HypersigilImportInputError,
  ON_ERROR_CHOICES,
  type HypersigilImportOptions,
  type HypersigilImportReport,
  type OnError,
  type QuotaOverrun,
  type TableCounts,
} from "./services/hypersigil-import/import.ts";
export * from "./observability/index.ts";
export {
  generateWebhookSecret,
  signatureHeader,
  verifyWebhookSignature,
  EVENT_HEADER,
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  WEBHOOK_USER_AGENT,
  type VerifyOptions,
} from "./webhooks/signature.ts";
export { retryDelayMs, FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS } from "./webhooks/backoff.ts";
