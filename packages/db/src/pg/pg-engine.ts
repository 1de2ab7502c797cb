import { getTableConfig, PgTable, type PgTransactionConfig } from "drizzle-orm/pg-core";
import { is, sql } from "drizzle-orm";
import pg from "pg";
import { pgSession, PgStore, type PgTransactionRunner } from "../engine/pg-store.ts";
import { withActiveSession } from "../engine/active-sessions.ts";
import type { Session, Store } from "../engine/session.ts";
import { TenantDatabaseMissingError, TenantNotFoundError, TenantSchemaOutdatedError } from "../errors.ts";
import type { ApplyResult } from "../migrations/apply-migrations.ts";
import type { MigrateOnOpenPolicy } from "../settings.ts";
import * as pgSharedSchema from "../schema/pg/shared/index.ts";
import type { MigrationProgress, TenantMigrationReport, TenantMigrationResult, TenantSchemaStatus } from "../migrations/hybrid-migration-manager.ts";
import { loadMigrations, type MigrationFile } from "../migrations/migration-files.ts";
import {
  migrateTenantSchema,
  migrateTenantSchemas,
  tenantSchemaStatus,
  type PgTenantMigrationOptions,
  type TenantSchemaTarget,
} from "./migrate-tenant-schemas.ts";
import { quoteName, SHARED_SCHEMA, tenantSchemaName } from "./names.ts";
import { checkAppRole, openSystemPool, type AppPool, type SystemPool } from "./pool.ts";
import { applyRoles, applyRowSecurity, assertInstallerCanCreateRoles, type PgRoles } from "./row-security.ts";
import { applySharedSchemaMigrations, driverCode, pgSharedMigrations, readSharedSchemaVersion, readTenantSchemaVersion } from "./schema-migrations.ts";
import { deleteTenantSchema, provisionTenantSchema, withLockedTenantSchema } from "./tenant-schemas.ts";
import { withSystemTransaction, withTenantTransaction, type PgTransaction } from "./transactions.ts";

/** undefined_table and invalid_schema_name: what a tenant's statements meet once its schema was dropped. */
const MISSING_RELATION = new Set(["42P01", "3F000"]);

/** A read session: one snapshot throughout, never in conflict with a writer. */
const READ: PgTransactionConfig = { isolationLevel: "repeatable read", accessMode: "read only" };
/**
 * A tenant's write session holds the tenant's lock from its first statement (withTenantTransaction
 * `exclusive`): the tenant's writers run one at a time, as on a SQLite tenant file under BEGIN
 * IMMEDIATE, and READ COMMITTED lets each statement after the lock see every write committed before
 * it. A body that reads, decides and writes (a quota, a claim, the last active admin) stays correct
 * without locks of its own, and does not fail for a conflict. (SERIALIZABLE could not do this:
 * its snapshot is taken when the first statement starts, before the lock is granted.)
 */
const TENANT_WRITE: PgTransactionConfig = { isolationLevel: "read committed", accessMode: "read write" };
/**
 * The system role's writes (the registry, the control plane, guards) take no lock: they are
 * SERIALIZABLE, and one that conflicts runs again (engine/pg-store.ts).
 */
const SYSTEM_WRITE: PgTransactionConfig = { isolationLevel: "serializable", accessMode: "read write" };

export interface PgEngineOptions {
  /** DATABASE_URL: the installer's role (creates the two roles and the schemas); its host, database and password serve both pools. */
  readonly url: string;
  readonly roles: PgRoles;
  /** Connections per pool and process. */
  readonly maxConnections: number;
  readonly migrateOnOpen: MigrateOnOpenPolicy;
  /** Shown in pg_stat_activity. */
  readonly applicationName: string;
  /** The tenant migrations every schema is provisioned and kept at (the committed ones unless a test appends some). */
  readonly tenantMigrationsFolder: string;
  /**
   * Where the tenant registry is: `own` (this database's `sigil_shared.tenants`: DATABASE_URL is
   * PostgreSQL) or `elsewhere` (shared.sqlite, which keeps each tenant's `placement`: this database
   * only holds the schemas of the tenants placed here, TENANT_POSTGRES_URL). Elsewhere, the
   * HybridDatabaseManager checks the registry before it hands a tenant over.
   */
  readonly registry?: "own" | "elsewhere";
  /**
   * Added to every schema version this engine reports (migrations and status): with the registry
   * in shared.sqlite, versions are counted on the SQLite tenant migrations' scale, which has more
   * migrations than PostgreSQL's (the first ones were folded into its 0000), so a current schema
   * reads as the latest version there and one N migrations behind as N behind. 0 by default.
   */
  readonly reportedVersionOffset?: number;
}

/**
 * PostgreSQL behind the HybridDatabaseManager (docs/architecture.md, "PostgreSQL connections"):
 * system and shared tables in `sigil_shared` under row-level security, each tenant's tables in
 * `t_<uuid without dashes>`. Two pools: the system role's for the registry, provisioning,
 * migrations and cross-tenant lookups; the app role's (no BYPASSRLS) for everything a tenant does.
 */
export class PgEngine {
  readonly systemPool: SystemPool;
  readonly appPool: AppPool;
  private readonly systemStore: PgStore;
  private appRoleChecked: Promise<void> | undefined;
  /** Each tenant's two stores, made once: a store is its own identity (a write inside a read of the same store is refused). */
  private readonly tenantStores = new Map<string, { tenant: Store; shared: Store }>();
  /** Tenants whose schema this process found registered and current; checked once per process. */
  private readonly checkedTenants = new Map<string, Promise<void>>();

  constructor(private readonly options: PgEngineOptions) {
    const pool = (role: string, name: string) =>
      openSystemPool({ url: roleUrl(options.url, role), maxConnections: options.maxConnections, applicationName: `${options.applicationName} (${name})` });
    this.systemPool = pool(options.roles.system, "system");
    this.appPool = pool(options.roles.app, "app") as unknown as AppPool;
    this.systemStore = new PgStore("shared", "system", (fn, mode) => withSystemTransaction(this.systemPool, fn, mode === "write" ? SYSTEM_WRITE : READ));
  }

  /** The system role's store: the registry, the control plane, guards and cross-tenant lookups. */
  sharedStore(): Store {
    return this.systemStore;
  }

  /** The shared tables as tenant `tenantId` sees them: the app role, row-level security admitting only its rows. */
  tenantSharedStore(tenantId: string): Store {
    return this.storesOf(tenantId).shared;
  }

  /** Tenant `tenantId`'s schema; the first use in this process checks that it is registered and current. */
  async withTenantStore<T>(tenantId: string, fn: (store: Store) => Promise<T>): Promise<T> {
    await this.ensureTenantReady(tenantId);
    try {
      return await fn(this.storesOf(tenantId).tenant);
    } catch (error) {
      if (!MISSING_RELATION.has(driverCode(error) ?? "")) throw error;
      // Another process may have deleted the tenant since this one checked it: its schema is gone.
      // Checked again, an unregistered tenant is the TenantNotFoundError a deleted tenant is here.
      this.forgetTenant(tenantId);
      await this.ensureTenantReady(tenantId);
      throw error;
    }
  }

  /**
   * A tenant's schema and its view of the shared tables: one join key, so a shared-model call made
   * inside a session of the tenant's schema runs in the same transaction on the same connection.
   */
  private storesOf(tenantId: string): { tenant: Store; shared: Store } {
    let stores = this.tenantStores.get(tenantId);
    if (!stores) {
      const begin: PgTransactionRunner = async (fn, mode) => {
        await this.checkAppRole();
        return mode === "write"
          ? withTenantTransaction(this.appPool, { tenantId, exclusive: true }, fn, TENANT_WRITE)
          : withTenantTransaction(this.appPool, { tenantId }, fn, READ);
      };
      stores = { tenant: new PgStore("tenant", `app:${tenantId}`, begin), shared: new PgStore("shared", `app:${tenantId}`, begin) };
      this.tenantStores.set(tenantId, stores);
    }
    return stores;
  }

  /**
   * Creates the roles, the shared schema and its tables, and their row-level security; safe to run
   * again (it is how an installation is upgraded). Runs as the DATABASE_URL role, which must be a
   * superuser or have CREATEROLE: the two roles get that URL's password.
   */
  async install(): Promise<ApplyResult> {
    const admin = new pg.Client({ connectionString: this.options.url, application_name: `${this.options.applicationName} (install)` });
    await admin.connect();
    try {
      await assertInstallerCanCreateRoles(admin);
      await applyRoles(admin, this.options.roles);
      const password = new URL(this.options.url).password;
      if (password !== "") {
        for (const role of [this.options.roles.app, this.options.roles.system]) {
          await admin.query(`ALTER ROLE ${quoteName("role", role)} PASSWORD ${pg.escapeLiteral(decodeURIComponent(password))}`);
        }
      }
      const result = await withSystemTransaction(this.systemPool, (tx) => applySharedSchemaMigrations(tx, pgSharedMigrations()));
      await applyRowSecurity(admin, this.options.roles, tenantScopedSharedTables());
      // The cache_generation triggers run as whoever changed a user or an API key: the app role too.
      await admin.query(`GRANT SELECT, UPDATE ON ${quoteName("schema", SHARED_SCHEMA)}."cache_generation" TO ${quoteName("role", this.options.roles.app)}`);
      return result;
    } finally {
      await admin.end();
    }
  }

  async sharedSchemaStatus(): Promise<{ version: number; latest: number }> {
    const migrations = pgSharedMigrations();
    const version = await withSystemTransaction(this.systemPool, (tx) => readSharedSchemaVersion(tx, migrations));
    return { version, latest: migrations.length };
  }

  tenantMigrations(): MigrationFile[] {
    return loadMigrations(this.options.tenantMigrationsFolder);
  }

  /**
   * Provisions tenant `tenantId`'s schema and runs `register` in the same transaction of the
   * system role: a shared-store session opened by `register` joins it, so the registry rows and
   * the schema are committed together or not at all (tenant-schemas.ts).
   */
  async provisionTenant<T>(tenantId: string, register: () => Promise<T>): Promise<T> {
    const result = await provisionTenantSchema(this.systemPool, this.options.roles, tenantId, (tx) => this.joinSystem(tx, register), {
      migrations: this.tenantMigrations(),
    });
    this.checkedTenants.set(tenantId, Promise.resolve());
    return result;
  }

  /**
   * Creates tenant `tenantId`'s schema and runs `fill` on it in the same transaction (a tenant
   * moving here: its rows are copied in and checked before anything is committed), for a registry
   * kept elsewhere: on failure there is no schema.
   */
  async createTenantSchema<T>(tenantId: string, fill: (session: Session) => Promise<T>): Promise<T> {
    const result = await provisionTenantSchema(this.systemPool, this.options.roles, tenantId, (tx) => fill(pgSession(tx)), {
      migrations: this.tenantMigrations(),
    });
    this.forgetTenant(tenantId);
    return result;
  }

  /**
   * Runs `fn` on tenant `tenantId`'s schema holding the tenant's write lock (every tenant writer
   * waits) and its schema lock (no migration runs); `fn` may end with `dropSchema()`, which drops
   * the schema in the same transaction: a writer that was waiting then fails on a missing table
   * instead of writing where nobody reads any more (a tenant moving away).
   */
  async withTenantSchemaLocked<T>(tenantId: string, fn: (session: Session, dropSchema: () => Promise<void>) => Promise<T>): Promise<T> {
    const result = await withLockedTenantSchema(this.systemPool, tenantId, (tx, dropSchema) => fn(pgSession(tx), dropSchema));
    this.forgetTenant(tenantId);
    return result;
  }

  /** Drops tenant `tenantId`'s schema (a registry kept elsewhere has unregistered it already). */
  async dropTenantSchema(tenantId: string): Promise<{ dropped: boolean }> {
    const outcome = await deleteTenantSchema(this.systemPool, tenantId);
    this.forgetTenant(tenantId);
    return outcome;
  }

  /** Drops tenant `tenantId`'s schema after `unregister`, in one transaction of the system role. */
  async deleteTenant<T>(tenantId: string, unregister: () => Promise<T>): Promise<T> {
    let outcome: { value: T } | undefined;
    await deleteTenantSchema(this.systemPool, tenantId, {
      unregister: async (tx) => {
        outcome = { value: await this.joinSystem(tx, unregister) };
      },
    });
    this.forgetTenant(tenantId);
    if (!outcome) throw new Error(`The deletion of tenant ${tenantId} ended without unregistering it.`);
    return outcome.value;
  }

  /**
   * Migrates the targets' schemas (migrate-tenant-schemas.ts): HybridMigrationManager's runner on
   * PostgreSQL. A migrated tenant is checked again on its next use in this process.
   */
  async migrateTenantSchemas(targets: readonly TenantSchemaTarget[], options: PgTenantMigrationOptions): Promise<TenantMigrationReport> {
    const offset = this.options.reportedVersionOffset ?? 0;
    const shift = (result: TenantMigrationResult): TenantMigrationResult =>
      offset === 0 ? result : { ...result, fromVersion: result.fromVersion + offset, toVersion: result.toVersion + offset };
    const { onProgress } = options;
    const report = await migrateTenantSchemas(this.systemPool, targets, {
      ...options,
      ...(onProgress ? { onProgress: (progress: MigrationProgress) => onProgress({ ...progress, result: shift(progress.result) }) } : {}),
      migrations: this.tenantMigrations(),
    });
    for (const result of report.results) if (result.status === "applied") this.forgetTenant(result.tenantId);
    return { ...report, latestVersion: report.latestVersion + offset, results: report.results.map(shift) };
  }

  /** The targets' schema versions, read from the schemas themselves (migrate-tenant-schemas.ts). */
  async tenantSchemaStatus(targets: readonly TenantSchemaTarget[]): Promise<TenantSchemaStatus[]> {
    const offset = this.options.reportedVersionOffset ?? 0;
    const status = await tenantSchemaStatus(this.systemPool, targets, this.tenantMigrations());
    return status.map((row) => ({ ...row, latest: row.latest + offset, version: row.version === null ? null : row.version + offset }));
  }

  /** The bytes of tenant `tenantId`'s tables, their indexes and TOAST (0 for a schema that does not exist). */
  async tenantSchemaBytes(tenantId: string): Promise<number> {
    const result = await withSystemTransaction(this.systemPool, (tx) =>
      tx.execute(sql`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
                       JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = ${tenantSchemaName(tenantId)} AND c.relkind IN ('r', 'm')`),
    );
    return Number((result.rows[0] as { bytes?: string | number } | undefined)?.bytes ?? 0);
  }

  /** Forgets what this process checked of a tenant (after it was deleted, moved or migrated elsewhere). */
  forgetTenant(tenantId: string): void {
    this.checkedTenants.delete(tenantId);
    this.tenantStores.delete(tenantId);
  }

  async close(): Promise<void> {
    await Promise.all([this.systemPool.end(), this.appPool.end()]);
  }

  private joinSystem<T>(tx: PgTransaction, fn: () => Promise<T>): Promise<T> {
    return withActiveSession(this.systemStore, pgSession(tx), "write", fn);
  }

  private checkAppRole(): Promise<void> {
    this.appRoleChecked ??= checkAppRole(this.appPool).catch((error: unknown) => {
      this.appRoleChecked = undefined;
      throw error;
    });
    return this.appRoleChecked;
  }

  private ensureTenantReady(tenantId: string): Promise<void> {
    let check = this.checkedTenants.get(tenantId);
    if (!check) {
      check = this.checkTenant(tenantId).catch((error: unknown) => {
        this.checkedTenants.delete(tenantId);
        throw error;
      });
      this.checkedTenants.set(tenantId, check);
    }
    return check;
  }

  /** docs/architecture.md (Migrations): a tenant behind the code is migrated on first use or refused; never served as is. */
  private async checkTenant(tenantId: string): Promise<void> {
    const migrations = this.tenantMigrations();
    const ownRegistry = this.options.registry !== "elsewhere";
    const state = await withSystemTransaction(this.systemPool, async (tx) => {
      if (ownRegistry) {
        const registered = await tx.execute(sql`SELECT 1 FROM ${sql.raw(quoteName("schema", SHARED_SCHEMA))}.tenants WHERE id = ${tenantId}`);
        if (registered.rows.length === 0) return "unregistered" as const;
      }
      return readTenantSchemaVersion(tx, tenantSchemaName(tenantId), migrations);
    });
    if (state === "unregistered") throw new TenantNotFoundError(tenantId);
    // With its own registry a registered tenant's schema is made in the same transaction (a null is
    // a schema being dropped with its registry row); placed here from elsewhere, it must exist.
    if (state === null && !ownRegistry) throw new TenantDatabaseMissingError(tenantId, "PostgreSQL schema");
    if (state === null || state >= migrations.length) return;
    if (this.options.migrateOnOpen === "strict") throw new TenantSchemaOutdatedError(tenantId, state, migrations.length);
    const outcome = await migrateTenantSchema(this.systemPool, tenantId, migrations);
    if (outcome.status === "failed") throw new TenantSchemaOutdatedError(tenantId, outcome.fromVersion, migrations.length);
  }
}

/** The shared tables with a `tenant_id` column: each is put under row-level security. */
export function tenantScopedSharedTables(): string[] {
  return (Object.values(pgSharedSchema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableConfig(table))
    .filter((config) => config.columns.some((column) => column.name === "tenant_id"))
    .map((config) => config.name);
}

/** `url` with its user replaced by `role` (host, database, password and options kept). */
function roleUrl(url: string, role: string): string {
  const parsed = new URL(url);
  parsed.username = role;
  return parsed.toString();
}
