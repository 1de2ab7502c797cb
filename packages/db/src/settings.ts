import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { InvalidSettingError, type SettingProblem } from "./errors.ts";

/**
 * The settings module: every environment variable of the installation is declared with a zod
 * schema keyed by its name (README: Settings), parsed once per process by a cached loader, and
 * refused with a message naming the variable and what it accepts. The storage variables are
 * declared here (this package imports nothing internal); @sigil/api builds its own on these
 * helpers. Modules receive the parsed values; only the loaders read `process.env`.
 */
export type Env = Record<string, string | undefined>;

/** Variables whose value must never appear in a message or a log. */
const SECRET_VARIABLES = new Set([
  "DATABASE_URL",
  "TENANT_POSTGRES_URL",
  "SIGIL_SECRET_KEY",
  "SIGIL_SECRET_KEY_NEW",
  "SIGIL_ADMIN_PASSWORD",
  "METRICS_TOKEN",
  "SMTP_PASSWORD",
]);

/**
 * One variable: unset or blank gives `fallback`; otherwise `parse` returns the value, or undefined
 * to refuse it with `expected` ("a whole number from 1 to 65535").
 */
export function setting<T>(expected: string, parse: (raw: string) => T | undefined, fallback: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      if (raw === undefined || raw.trim() === "") return fallback;
      const value = parse(raw.trim());
      if (value === undefined) {
        ctx.addIssue({ code: "custom", message: expected });
        return z.NEVER;
      }
      return value;
    });
}

export function wholeNumber<F extends number | undefined>(fallback: F, { min = 1, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}) {
  const expected = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return setting<number | F>(expected, (raw) => (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? Number(raw) : undefined), fallback);
}

export function oneOf<T extends string>(allowed: readonly T[], fallback: T) {
  return setting(allowed.join(" | "), (raw) => allowed.find((value) => value.toLowerCase() === raw.toLowerCase()), fallback);
}

/** Parses `env` with a schema of variables; throws one InvalidSettingError naming every bad one. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new InvalidSettingError(result.error.issues.map((issue) => settingProblem(issue, env)));
}

function settingProblem(issue: z.core.$ZodIssue, env: Env): SettingProblem {
  const name = String(issue.path[0] ?? "(environment)");
  return { name, value: SECRET_VARIABLES.has(name) ? undefined : env[name], expected: issue.message };
}

/** Runs several readers and reports the problems of all of them at once. */
export function collectSettings<T>(read: () => T, problems: SettingProblem[]): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InvalidSettingError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_EXPECTED = `${SECRET_KEY_BYTES} random bytes in base64 (44 characters) or hex (64 characters), e.g. from \`openssl rand -base64 32\``;

/** A 32-byte key given as 64 hex digits or as base64; anything else is refused. */
export function parseSecretKey(raw: string): Buffer | undefined {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text, "base64");
  return key.length === SECRET_KEY_BYTES ? key : undefined;
}

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
 * - `secretKey`: the key that encrypts secrets at rest (SIGIL_SECRET_KEY); unset, a key file in
 *   the data directory is used (see src/secrets/secret-key.ts).
 */
/** Where the databases live: SQLite files in the data directory, or one PostgreSQL database. */
export type DatabaseLocation = { engine: "sqlite" } | { engine: "postgres"; url: string };

/**
 * DATABASE_URL: unset or `file:` → SQLite files in DATA_DIR (`file:<dir>` names that directory);
 * `postgres://` or `postgresql://` → PostgreSQL (docs/scaling.md).
 */
export function parseDatabaseUrl(raw: string): { location: DatabaseLocation; dataDir?: string } | undefined {
  if (raw.startsWith("file:")) {
    const dir = raw.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    return dir === "" ? { location: { engine: "sqlite" } } : { location: { engine: "sqlite" }, dataDir: resolve(dir) };
  }
  if (!/^postgres(ql)?:\/\/[^/]/.test(raw)) return undefined;
  try {
    new URL(raw);
  } catch {
    return undefined;
  }
  return { location: { engine: "postgres", url: raw } };
}

export interface StorageSettings {
  database: DatabaseLocation;
  /**
   * TENANT_POSTGRES_URL: the PostgreSQL database that holds the schemas of the tenants placed on
   * `postgres` (`sigil tenants move`) while the control plane stays in shared.sqlite; SQLite
   * installations only (on PostgreSQL every tenant is already there).
   */
  tenantPostgresUrl?: string;
  /** DATABASE_POOL_SIZE: connections per pool and process on PostgreSQL (two pools: app and system). */
  poolSize: number;
  dataDir: string;
  tenantCacheSize: number;
  migrateOnOpen: MigrateOnOpenPolicy;
  synchronous: SynchronousLevel;
  busyTimeoutMs: number;
  secretKey: Buffer | undefined;
  /**
   * SIGIL_TENANT_MIGRATIONS_DIR: a tenant migrations folder to use instead of
   * packages/db/migrations/tenant. Only for tests that must deploy a new tenant migration to a
   * running installation (reliability/: migration under load); unset in production.
   */
  tenantMigrationsDir?: string;
}

export const DEFAULT_TENANT_CACHE_SIZE = 256;

export const storageEnvironment = z.object({
  DATABASE_URL: setting<ReturnType<typeof parseDatabaseUrl>>(
    "file: (SQLite files, the default), file:<directory>, or a postgres:// URL such as postgres://user:password@host:5432/sigil",
    parseDatabaseUrl,
    { location: { engine: "sqlite" } },
  ),
  DATABASE_POOL_SIZE: wholeNumber(10, { max: 1000 }),
  TENANT_POSTGRES_URL: setting<string | undefined>(
    "a postgres:// URL such as postgres://user:password@host:5432/sigil_tenants",
    (raw) => {
      const parsed = parseDatabaseUrl(raw);
      return parsed?.location.engine === "postgres" ? parsed.location.url : undefined;
    },
    undefined,
  ),
  DATA_DIR: setting("a directory path", (raw) => resolve(raw), undefined as string | undefined),
  TENANT_DB_CACHE_SIZE: wholeNumber(DEFAULT_TENANT_CACHE_SIZE),
  TENANT_MIGRATE_ON_OPEN: oneOf(MIGRATE_ON_OPEN_POLICIES, "auto"),
  SQLITE_SYNCHRONOUS: oneOf(SYNCHRONOUS_LEVELS, "NORMAL"),
  SQLITE_BUSY_TIMEOUT_MS: wholeNumber(5_000),
  SIGIL_SECRET_KEY: setting<Buffer | undefined>(SECRET_KEY_EXPECTED, parseSecretKey, undefined),
  SIGIL_TENANT_MIGRATIONS_DIR: setting<string | undefined>(
    "a folder of tenant migrations holding meta/_journal.json (tests only)",
    (raw) => (existsSync(join(resolve(raw), "meta", "_journal.json")) ? resolve(raw) : undefined),
    undefined,
  ),
});

export function readStorageSettings(env: Env): StorageSettings {
  const values = parseEnvironment(storageEnvironment, env);
  const database = values.DATABASE_URL ?? { location: { engine: "sqlite" as const } };
  if (database.dataDir !== undefined && values.DATA_DIR !== undefined && database.dataDir !== values.DATA_DIR) {
    throw new InvalidSettingError([
      { name: "DATABASE_URL", value: undefined, expected: `the same directory as DATA_DIR (${values.DATA_DIR}), or DATA_DIR unset` },
    ]);
  }
  if (values.TENANT_POSTGRES_URL !== undefined && database.location.engine === "postgres") {
    throw new InvalidSettingError([
      {
        name: "TENANT_POSTGRES_URL",
        value: undefined,
        expected: "unset when DATABASE_URL is PostgreSQL (every tenant is on PostgreSQL then; it places tenants of a SQLite installation)",
      },
    ]);
  }
  return {
    database: database.location,
    ...(values.TENANT_POSTGRES_URL === undefined ? {} : { tenantPostgresUrl: values.TENANT_POSTGRES_URL }),
    poolSize: values.DATABASE_POOL_SIZE,
    dataDir: database.dataDir ?? values.DATA_DIR ?? resolve("data"),
    tenantCacheSize: values.TENANT_DB_CACHE_SIZE,
    migrateOnOpen: values.TENANT_MIGRATE_ON_OPEN,
    synchronous: values.SQLITE_SYNCHRONOUS,
    busyTimeoutMs: values.SQLITE_BUSY_TIMEOUT_MS,
    secretKey: values.SIGIL_SECRET_KEY,
    ...(values.SIGIL_TENANT_MIGRATIONS_DIR === undefined ? {} : { tenantMigrationsDir: values.SIGIL_TENANT_MIGRATIONS_DIR }),
  };
}

let processStorageSettings: StorageSettings | undefined;

/** This process's storage settings, read from the environment once. */
export function storageSettings(): StorageSettings {
  processStorageSettings ??= readStorageSettings(process.env);
  return processStorageSettings;
}

export const DEMO_MODES = ["auto", "on", "off"] as const;
/** SIGIL_DEMO: unset → auto (demo only on an empty localhost installation), 1 → on, 0 → off. */
export type DemoMode = (typeof DEMO_MODES)[number];

export interface DemoSettings {
  mode: DemoMode;
  /** SIGIL_ADMIN_EMAIL is set: the operator names the administrator, so no demo is seeded. */
  adminFromEnvironment: boolean;
}

export const demoEnvironment = z.object({
  SIGIL_DEMO: setting<DemoMode>(
    "0 (never seed the demo) or 1 (seed it and allow its public passwords on any domain)",
    (raw) => (raw === "0" ? "off" : raw === "1" ? "on" : undefined),
    "auto",
  ),
  SIGIL_ADMIN_EMAIL: setting("an email address", (raw) => raw, undefined as string | undefined),
});

export function readDemoSettings(env: Env): DemoSettings {
  const values = parseEnvironment(demoEnvironment, env);
  return { mode: values.SIGIL_DEMO, adminFromEnvironment: values.SIGIL_ADMIN_EMAIL !== undefined };
}

export const rotationEnvironment = z.object({
  SIGIL_SECRET_KEY_NEW: setting<Buffer | undefined>(SECRET_KEY_EXPECTED, parseSecretKey, undefined),
});

/** `secrets:rotate`: the new key, when the operator chooses it (required with SIGIL_SECRET_KEY). */
export function readRotationSettings(env: Env): { newKey: Buffer | undefined } {
  return { newKey: parseEnvironment(rotationEnvironment, env).SIGIL_SECRET_KEY_NEW };
}
