export {
  ExecutionWorker,
  type ExecutionWorkerOptions,
  type RecoveryResult,
  type TenantRef,
  type TickResult,
  type WorkerError,
  type WorkerEvent,
  type WorkerStatus,
} from "./execution-worker.ts";
export { askWorker, startStatusSocket, workerSocketPath, type StatusAnswers, type StatusCommand, type StatusSocket } from "./status-socket.ts";
export { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics.ts";
export {
  errorMessage,
  ExecutionFailure,
  type ExecutionProvider,
  type ProviderFile,
  type ProviderRequest,
  type ProviderResult,
  type TokenUsage,
} from "./provider.ts";
export { renderRequest, templateProvider, templateView, toTemplateFiles, type TemplateFile } from "./template-provider.ts";
export {
  DEFAULT_PROVIDER_TIMEOUT_MS,
  HttpProvider,
  KeyedSemaphore,
  loadProviderSettings,
  parseRetryAfter,
  providerSettingsSchema,
  retryDelayMs,
  settingsOfRow,
  storedProvider,
  WIRE_FORMATS,
  type HttpProviderOptions,
  type ProviderSettings,
  type StoredProvider,
} from "./providers/index.ts";
export { startUsageRefresh, type UsageRefresh, type UsageRefreshOptions } from "./usage-refresh.ts";
export { startBackupSchedule, type BackupSchedule, type BackupScheduleOptions } from "./backup-schedule.ts";
export { WebhookDeliverer, type DeliveryPassResult, type WebhookDelivererOptions, type WebhookEvent } from "./webhook-deliverer.ts";
