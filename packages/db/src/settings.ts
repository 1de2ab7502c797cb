import { resolve } from "node:path";
import { InvalidSettingError } from "./errors.ts";

export const MIGRATE_ON_OPEN_POLICIES = ["auto", "strict"] as const;
export type MigrateOnOpenPolicy = (typeof MIGRATE_ON_OPEN_POLICIES)[number];
export const SYNCHRONOUS_LEVELS = ["NORMAL", "FULL"] as const;
export type SynchronousLevel = (typeof SYNCHRONOUS_LEVELS)[number];

/**
 * How the storage core behaves. Every field has an environment variable (see README: Settings).
 * - `synchronous`: NORMAL (default) keeps every acknowledged write across a process crash; FULL
 *   also across power loss or an OS crash, at the cost of an fsync per commit.
 * - `migrateOnOpen`: a tenant file that is behind the code's schema is migrated when first opened
 *   (`auto`, default) or refused with TenantSchemaOutdatedError (`strict`). Never served as is.
 */
export interface StorageSettings {
  dataDir: string;
  tenantCacheSize: number;
  migrateOnOpen: MigrateOnOpenPolicy;
  synchronous: SynchronousLevel;
  busyTimeoutMs: number;
}

export const DEFAULT_TENANT_CACHE_SIZE = 256;

type Env = Record<string, string | undefined>;

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const match = allowed.find((value) => value === raw.trim().toUpperCase() || value === raw.trim().toLowerCase());
  if (match === undefined) throw new InvalidSettingError(name, raw, allowed.join(" | "));
  return match;
}

function readPositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new InvalidSettingError(name, raw, "a whole number ≥ 1");
  return Number(raw);
}

export function readStorageSettings(env: Env = process.env): StorageSettings {
  return {
    dataDir: resolve(env.DATA_DIR && env.DATA_DIR !== "" ? env.DATA_DIR : "data"),
    tenantCacheSize: readPositiveInt(env, "TENANT_DB_CACHE_SIZE", DEFAULT_TENANT_CACHE_SIZE),
    migrateOnOpen: readEnum(env, "TENANT_MIGRATE_ON_OPEN", MIGRATE_ON_OPEN_POLICIES, "auto"),
    synchronous: readEnum(env, "SQLITE_SYNCHRONOUS", SYNCHRONOUS_LEVELS, "NORMAL"),
    busyTimeoutMs: readPositiveInt(env, "SQLITE_BUSY_TIMEOUT_MS", 5_000),
  };
}
