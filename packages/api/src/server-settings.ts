import { resolve } from "node:path";
import {
  collectSettings,
  InvalidSettingError,
  oneOf,
  parseEnvironment,
  readDemoSettings,
  readStorageSettings,
  setting,
  wholeNumber,
  type DemoSettings,
  type Env,
  type SettingProblem,
  type StorageSettings,
} from "@sigil/db";
import { email, parseDuration, password } from "@sigil/validators";
import { z } from "zod";
import { readApiConfig, type ApiConfig } from "./config.ts";

/**
 * Every setting of the installation (README: Settings), validated together: `pnpm start` calls
 * readServerSettings before doing anything, so one bad variable stops it at once with a message
 * naming each bad variable, instead of failing later in a request or a child process.
 */

export interface WorkerSettings {
  pollIntervalMs: number;
  concurrency: number;
  maxAttempts: number;
  leaseMs: number;
  recoveryIntervalMs: number;
  /** Unset: ExecutionWorker's default (2 min, at most two thirds of leaseMs). */
  executionTimeoutMs: number | undefined;
  /** Unset: 60 s, at most executionTimeoutMs. */
  providerTimeoutMs: number | undefined;
  /** How often the worker process measures tenant files' sizes into the control plane (seconds). */
  usageRefreshIntervalSeconds: number;
}

const workerEnvironment = z.object({
  WORKER_POLL_INTERVAL_MS: wholeNumber(1_000, { min: 0 }),
  WORKER_CONCURRENCY: wholeNumber(4, { max: 256 }),
  WORKER_MAX_ATTEMPTS: wholeNumber(3, { max: 100 }),
  WORKER_LEASE_MS: wholeNumber(3 * 60_000, { min: 1_000 }),
  WORKER_RECOVERY_INTERVAL_MS: wholeNumber(30_000, { min: 100 }),
  WORKER_EXECUTION_TIMEOUT_MS: wholeNumber(undefined, { min: 100 }),
  PROVIDER_TIMEOUT_MS: wholeNumber(undefined, { min: 100 }),
  USAGE_REFRESH_INTERVAL_SECONDS: wholeNumber(300, { min: 10, max: 86_400 }),
});

export function readWorkerSettings(env: Env): WorkerSettings {
  const values = parseEnvironment(workerEnvironment, env);
  const timeout = values.WORKER_EXECUTION_TIMEOUT_MS;
  if (timeout !== undefined && timeout >= values.WORKER_LEASE_MS) {
    throw new InvalidSettingError([
      {
        name: "WORKER_EXECUTION_TIMEOUT_MS",
        value: String(timeout),
        expected: `a number of milliseconds below WORKER_LEASE_MS (${values.WORKER_LEASE_MS})`,
      },
    ]);
  }
  return {
    pollIntervalMs: values.WORKER_POLL_INTERVAL_MS,
    concurrency: values.WORKER_CONCURRENCY,
    maxAttempts: values.WORKER_MAX_ATTEMPTS,
    leaseMs: values.WORKER_LEASE_MS,
    recoveryIntervalMs: values.WORKER_RECOVERY_INTERVAL_MS,
    executionTimeoutMs: timeout,
    providerTimeoutMs: values.PROVIDER_TIMEOUT_MS,
    usageRefreshIntervalSeconds: values.USAGE_REFRESH_INTERVAL_SECONDS,
  };
}

/** Scheduled backups by the worker process (services/backups.ts); no timer at all without BACKUP_DIR. */
export interface BackupSettings {
  /** Absolute; null: no scheduled backups (the CLI then defaults to defaultBackupDir). */
  dir: string | null;
  intervalMs: number;
  /** Backup sets kept in `dir`; older ones are removed, never the newest complete one. */
  retention: number;
}

const MIN_BACKUP_INTERVAL_MS = 60_000;

const backupEnvironment = z.object({
  BACKUP_DIR: setting("a folder path", (raw) => (raw.trim() === "" ? undefined : resolve(raw)), undefined as string | undefined),
  BACKUP_INTERVAL: setting(
    "a duration of at least 1m, such as 30m, 6h or 1d",
    (raw) => {
      const ms = parseDuration(raw);
      return ms !== null && ms >= MIN_BACKUP_INTERVAL_MS ? ms : undefined;
    },
    6 * 3_600_000,
  ),
  BACKUP_RETENTION: wholeNumber(7, { min: 1, max: 1_000 }),
});

export function readBackupSettings(env: Env): BackupSettings {
  const values = parseEnvironment(backupEnvironment, env);
  return { dir: values.BACKUP_DIR ?? null, intervalMs: values.BACKUP_INTERVAL, retention: values.BACKUP_RETENTION };
}

let loadedBackupSettings: BackupSettings | undefined;

/** This process's backup settings, read and validated once (the web server's "back up now"). */
export function backupSettings(): BackupSettings {
  loadedBackupSettings ??= readBackupSettings(process.env);
  return loadedBackupSettings;
}

export interface ListenSettings {
  host: string;
  port: number;
}

const listenEnvironment = z.object({
  HOST: setting(
    "a host name or IP address to listen on, such as localhost or 0.0.0.0",
    (raw) => (/^[A-Za-z0-9.:[\]-]+$/.test(raw) ? raw : undefined),
    "localhost",
  ),
  PORT: wholeNumber(3000, { min: 1, max: 65_535 }),
});

export function readListenSettings(env: Env): ListenSettings {
  const values = parseEnvironment(listenEnvironment, env);
  return { host: values.HOST, port: values.PORT };
}

/** SIGIL_ADMIN_*: the system administrator created on start (services/bootstrap-admin.ts). */
export interface AdminSettings {
  email: string | undefined;
  password: string | undefined;
  name: string;
}

const adminEnvironment = z.object({
  SIGIL_ADMIN_EMAIL: setting("an email address", (raw) => email.safeParse(raw).data, undefined as string | undefined),
  SIGIL_ADMIN_PASSWORD: setting("between 10 and 200 characters", (raw) => password.safeParse(raw).data, undefined as string | undefined),
  SIGIL_ADMIN_NAME: setting("a name of at most 100 characters", (raw) => (raw.length <= 100 ? raw : undefined), "System administrator"),
});

export function readAdminSettings(env: Env): AdminSettings {
  const values = parseEnvironment(adminEnvironment, env);
  return { email: values.SIGIL_ADMIN_EMAIL, password: values.SIGIL_ADMIN_PASSWORD, name: values.SIGIL_ADMIN_NAME };
}

/** Logs, metrics and readiness (README: Operating it, Observability). */
export interface ObservabilitySettings {
  logLevel: LogLevel;
  /** `pretty` for a person at a terminal (the default of `pnpm dev`), `json` for a log collector. */
  logFormat: "json" | "pretty";
  /** SQLite statements at or above this many milliseconds are logged; null: none is. */
  slowQueryMs: number | null;
  /** The bearer token that may read /api/metrics; null: only a system administrator on the admin host. */
  metricsToken: string | null;
  /** Workspaces counted under their own slug in sigil_tenant_requests_total; the others as `other`. */
  metricsTenantLabels: number;
  /** The worker's status socket; null: `worker.sock` in DATA_DIR. */
  workerSocket: string | null;
}

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const observabilityEnvironment = z.object({
  LOG_LEVEL: oneOf(LOG_LEVELS, "info"),
  LOG_FORMAT: setting("json or pretty", (raw) => (raw === "json" || raw === "pretty" ? raw : undefined), undefined as "json" | "pretty" | undefined),
  SLOW_QUERY_MS: setting<number | null>(
    "a whole number of milliseconds (0 logs every statement), or off",
    (raw) => (raw.toLowerCase() === "off" ? null : /^\d{1,7}$/.test(raw) ? Number(raw) : undefined),
    200,
  ),
  // Compared in constant time, but still: long enough that guessing it is hopeless.
  METRICS_TOKEN: setting("at least 16 characters without spaces", (raw) => (/^\S{16,512}$/.test(raw) ? raw : undefined), null as string | null),
  METRICS_TENANT_LABELS: wholeNumber(20, { min: 0, max: 1_000 }),
  WORKER_STATUS_SOCKET: setting(
    "an absolute path of at most 100 characters",
    (raw) => (raw.startsWith("/") && raw.length <= 100 ? raw : undefined),
    null as string | null,
  ),
  NODE_ENV: z.string().optional(),
});

export function readObservabilitySettings(env: Env): ObservabilitySettings {
  const values = parseEnvironment(observabilityEnvironment, env);
  return {
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? (values.NODE_ENV === "development" ? "pretty" : "json"),
    slowQueryMs: values.SLOW_QUERY_MS,
    metricsToken: values.METRICS_TOKEN,
    metricsTenantLabels: values.METRICS_TENANT_LABELS,
    workerSocket: values.WORKER_STATUS_SOCKET,
  };
}

let processObservabilitySettings: ObservabilitySettings | undefined;

/** This process's observability settings, read from the environment once. */
export function observabilitySettings(): ObservabilitySettings {
  processObservabilitySettings ??= readObservabilitySettings(process.env);
  return processObservabilitySettings;
}

export interface ServerSettings {
  storage: StorageSettings;
  api: ApiConfig;
  worker: WorkerSettings;
  backup: BackupSettings;
  listen: ListenSettings;
  admin: AdminSettings;
  demo: DemoSettings;
  observability: ObservabilitySettings;
}

/** Every variable of the README's Settings table; throws one InvalidSettingError naming all bad ones. */
export function readServerSettings(env: Env): ServerSettings {
  const problems: SettingProblem[] = [];
  const settings = {
    storage: collectSettings(() => readStorageSettings(env), problems),
    api: collectSettings(() => readApiConfig(env), problems),
    worker: collectSettings(() => readWorkerSettings(env), problems),
    backup: collectSettings(() => readBackupSettings(env), problems),
    listen: collectSettings(() => readListenSettings(env), problems),
    admin: collectSettings(() => readAdminSettings(env), problems),
    demo: collectSettings(() => readDemoSettings(env), problems),
    observability: collectSettings(() => readObservabilitySettings(env), problems),
  };
  const { storage, api, worker, backup, listen, admin, demo, observability } = settings;
  if (problems.length > 0 || !storage || !api || !worker || !backup || !listen || !admin || !demo || !observability) throw new InvalidSettingError(problems);
  return { storage, api, worker, backup, listen, admin, demo, observability };
}
