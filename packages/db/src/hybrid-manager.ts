import type { Statement } from "better-sqlite3";
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import type { Store } from "./engine/session.ts";
import { sqliteStoreOf } from "./engine/sqlite-store.ts";
import { eq } from "drizzle-orm";
import {
  isLockedByAnotherConnection,
  openSqlite,
  wrapShared,
  wrapTenant,
  type SharedDatabase,
  type SqliteConnection,
  type TenantDatabase,
} from "./connection.ts";
import {
  EngineMismatchError,
  NotOnThisEngineError,
  ProvisioningError,
  TenantDatabaseMissingError,
  TenantNotFoundError,
  TenantSchemaOutdatedError,
} from "./errors.ts";
import {
  assertTenantId,
  isTenantId,
  PROVISIONING_FILE,
  provisioningDatabasePath,
  sharedDatabasePath,
  sqliteCompanionFiles,
  tenantDatabasePath,
} from "./identifiers.ts";
import { applyMigrations, readSchemaVersion, type ApplyResult } from "./migrations/apply-migrations.ts";
import { loadMigrations, SHARED_MIGRATIONS_FOLDER, TENANT_MIGRATIONS_FOLDER, type MigrationFile } from "./migrations/migration-files.ts";
import { tenants, type TenantPlacement } from "./schema/shared/tenants.ts";
import { databaseFileBytes, quickCheckFile } from "./quick-check.ts";
import { publishTenantStats, readTenantStats } from "./usage-mirror.ts";
import { SecretVault } from "./secrets/secret-vault.ts";
import { storageSettings, type StorageSettings } from "./settings.ts";
import { PgEngine } from "./pg/pg-engine.ts";
import { DEFAULT_ROLES, type PgRoles } from "./pg/row-security.ts";
import { PG_TENANT_MIGRATIONS_FOLDER } from "./pg/schema-migrations.ts";
import { TenantConnectionPool, type PoolStats, type TenantHandle, type TenantLease } from "./tenant-pool.ts";

export interface HybridDatabaseOptions extends StorageSettings {
  sharedMigrationsFolder: string;
  tenantMigrationsFolder: string;
  /** PostgreSQL: the two roles the installer creates (tests name their own: roles belong to the whole server). */
  pgRoles: PgRoles;
  /** PostgreSQL: the tenant migrations of every schema (default: the committed migrations/pg/tenant). */
  pgTenantMigrationsFolder: string;
}

/** A lease on a tenant's storage: its SQLite handle stays open until released (nothing to hold on PostgreSQL). */
export interface TenantPin {
  release(): void;
}

export type DatabaseStrategy = "system" | "shared" | "isolated";

/**
 * Owns every SQLite connection of the process: shared.sqlite, and the tenant files through an
 * LRU pool (TENANT_DB_CACHE_SIZE).
 *
 * Differences from the seed, on purpose:
 * - tenant file names come only from a registry UUID, through `tenantDatabasePath` (the seed
 *   built them from the request's subdomain, so `../x` could name any file);
 * - an existing tenant file is opened with `fileMustExist`, after checking the registry, so a
 *   wrong id never creates an empty database;
 * - tenant handles are leased, not returned bare: the LRU may close idle ones at any time.
 */
export class HybridDatabaseManager {
  private static instance: HybridDatabaseManager | undefined;

  readonly options: HybridDatabaseOptions;
  /** shared.sqlite; never opened on PostgreSQL. */
  private readonly sharedFile: { connection: SqliteConnection; db: SharedDatabase } | undefined;
  private readonly pool: TenantConnectionPool;
  /** Set when DATABASE_URL names PostgreSQL: then every store is a PostgreSQL one. */
  private readonly pg: PgEngine | undefined;
  /**
   * Set on a SQLite installation with TENANT_POSTGRES_URL: the schemas of the tenants whose
   * `placement` is `postgres`, while the registry and the shared models stay in shared.sqlite.
   */
  private readonly placed: PgEngine | undefined;
  /** Per tenant, the `revision:period` of its totals this process last copied to shared.sqlite. */
  private readonly publishedUsage = new Map<string, string>();
  private placementQuery: Statement<[string], { placement: TenantPlacement }> | undefined;
  private closed = false;
  private pgClosed: Promise<void> | undefined;
  private vault: SecretVault | undefined;

  constructor(options: Partial<HybridDatabaseOptions> = {}) {
    const settings = storageSettings();
    this.options = {
      ...settings,
      sharedMigrationsFolder: SHARED_MIGRATIONS_FOLDER,
      tenantMigrationsFolder: settings.tenantMigrationsDir ?? TENANT_MIGRATIONS_FOLDER,
      pgRoles: DEFAULT_ROLES,
      pgTenantMigrationsFolder: PG_TENANT_MIGRATIONS_FOLDER,
      ...options,
    };
    const database = this.options.database;
    const pgEngine = (url: string, registry: "own" | "elsewhere") =>
      new PgEngine({
        reportedVersionOffset:
          registry === "own" ? 0 : loadMigrations(this.options.tenantMigrationsFolder).length - loadMigrations(this.options.pgTenantMigrationsFolder).length,
        url,
        roles: this.options.pgRoles,
        maxConnections: this.options.poolSize,
        migrateOnOpen: this.options.migrateOnOpen,
        applicationName: registry === "own" ? "sigil" : "sigil tenants",
        tenantMigrationsFolder: this.options.pgTenantMigrationsFolder,
        registry,
      });
    this.pg = database.engine === "postgres" ? pgEngine(database.url, "own") : undefined;
    const placedUrl = this.options.tenantPostgresUrl;
    this.placed = database.engine === "sqlite" && placedUrl !== undefined ? pgEngine(placedUrl, "elsewhere") : undefined;
    mkdirSync(this.options.dataDir, { recursive: true });
    this.pool = new TenantConnectionPool(this.options.tenantCacheSize, (id) => this.openTenantHandle(id));
    if (this.pg) return;
    const connection = openSqlite(sharedDatabasePath(this.options.dataDir), {
      fileMustExist: false,
      synchronous: this.options.synchronous,
      busyTimeoutMs: this.options.busyTimeoutMs,
    });
    this.sharedFile = { connection, db: wrapShared(connection) };
    this.reclaimInterruptedProvisioning();
  }

  /** The process-wide manager, created from the environment on first use. */
  static getInstance(): HybridDatabaseManager {
    HybridDatabaseManager.instance ??= new HybridDatabaseManager();
    return HybridDatabaseManager.instance;
  }

  /** Closes the process-wide manager if one was opened (a command-line tool's last step). */
  static closeInstance(): void {
    HybridDatabaseManager.instance?.close();
    HybridDatabaseManager.instance = undefined;
  }

  /** Replaces the process-wide manager (tests, CLI, server start); closes the previous one. */
  static configure(options: Partial<HybridDatabaseOptions> = {}): HybridDatabaseManager {
    HybridDatabaseManager.instance?.close();
    HybridDatabaseManager.instance = new HybridDatabaseManager(options);
    return HybridDatabaseManager.instance;
  }

  /** The key of secrets at rest (SIGIL_SECRET_KEY, or the key file in the data directory). */
  get secrets(): SecretVault {
    this.vault ??= new SecretVault(this.options.dataDir, this.options.secretKey);
    return this.vault;
  }

  /** shared.sqlite's Drizzle handle; SQLite only (on PostgreSQL, work through sharedStore()). */
  getSharedDatabase(): SharedDatabase {
    return this.sqliteShared().db;
  }

  private get sharedConnection(): SqliteConnection {
    return this.sqliteShared().connection;
  }

  private get sharedDb(): SharedDatabase {
    return this.sqliteShared().db;
  }

  private sqliteShared(): { connection: SqliteConnection; db: SharedDatabase } {
    this.assertOpen();
    if (!this.sharedFile) throw new EngineMismatchError("shared.sqlite");
    return this.sharedFile;
  }

  /**
   * Leases the handle of a registered tenant's file (the seed's getTenantDatabase). Release the
   * lease when done; `tenantContext` does this for models.
   */
  acquireTenantDatabase(tenantId: string): TenantLease {
    this.assertOpen();
    if (this.pg) throw new EngineMismatchError("a tenant's SQLite file");
    assertTenantId(tenantId);
    return this.pool.acquire(tenantId);
  }

  /** Runs a synchronous function with a leased tenant handle. */
  withTenantDatabase<T>(tenantId: string, fn: (db: TenantDatabase) => T): T {
    const lease = this.acquireTenantDatabase(tenantId);
    try {
      return fn(lease.db);
    } finally {
      lease.release();
    }
  }

  /** The PostgreSQL engine, for the runners that have a PostgreSQL twin (migrations/hybrid-migration-manager.ts); undefined on SQLite. */
  get postgres(): PgEngine | undefined {
    return this.pg;
  }

  /** Which engine holds the data (DATABASE_URL). */
  get engine(): "sqlite" | "postgres" {
    return this.pg ? "postgres" : "sqlite";
  }

  /** The store of system data and cross-tenant work: shared.sqlite, or PostgreSQL's system role. */
  sharedStore(): Store {
    if (this.pg) return this.pg.sharedStore();
    return sqliteStoreOf(this.getSharedDatabase(), "shared");
  }

  /**
   * The store of shared models for tenant `tenantId`: shared.sqlite, or on PostgreSQL the app
   * role with row-level security admitting only that tenant's rows (a second line of defence
   * under the models' own tenant condition).
   */
  tenantSharedStore(tenantId: string): Store {
    assertTenantId(tenantId);
    if (this.pg) return this.pg.tenantSharedStore(tenantId);
    return this.sharedStore();
  }

  /** Keeps a tenant's SQLite handle open for a whole run (tenantContext); nothing to keep on PostgreSQL. */
  pinTenant(tenantId: string): TenantPin {
    if (this.pg || this.schemaEngineOf(tenantId)) return { release: () => undefined };
    return this.acquireTenantDatabase(tenantId);
  }

  /** Runs `fn` with a tenant's store, its handle leased until `fn` settles. */
  async withTenantStore<T>(tenantId: string, fn: (store: Store) => Promise<T>): Promise<T> {
    const schemas = this.pg ?? this.schemaEngineOf(tenantId);
    if (schemas) {
      this.assertOpen();
      assertTenantId(tenantId);
      return schemas.withTenantStore(tenantId, fn);
    }
    const lease = this.acquireTenantDatabase(tenantId);
    try {
      return await fn(sqliteStoreOf(lease.db, "tenant"));
    } finally {
      lease.release();
    }
  }

  tenantDatabasePath(tenantId: string): string {
    return tenantDatabasePath(this.options.dataDir, tenantId);
  }

  /**
   * Where tenant `tenantId`'s own tables live (schema/shared/tenants.ts: TENANT_PLACEMENTS). Read
   * from the registry at every call on a SQLite installation that places tenants on PostgreSQL: a
   * move made by another process counts from its next transaction here.
   */
  tenantPlacement(tenantId: string): TenantPlacement {
    if (this.pg || !this.placed) return "local";
    return this.registeredPlacement(tenantId);
  }

  /**
   * The PostgreSQL engine that holds the schema of a tenant with this `placement`: DATABASE_URL's
   * for every tenant of a PostgreSQL installation, TENANT_POSTGRES_URL's for one placed there;
   * undefined for a tenant in a SQLite file.
   */
  schemasFor(placement: TenantPlacement): PgEngine | undefined {
    return this.pg ?? (placement === "postgres" ? this.placementEngine() : undefined);
  }

  /**
   * The engine of tenant `tenantId`'s schema when it is placed on TENANT_POSTGRES_URL's PostgreSQL,
   * else undefined. A SQLite handle this process still holds on the tenant's old file is closed:
   * the file was fenced and removed by the move.
   */
  private schemaEngineOf(tenantId: string): PgEngine | undefined {
    if (!this.placed || this.tenantPlacement(tenantId) !== "postgres") return undefined;
    if (this.pool.isOpen(tenantId)) this.pool.closeTenant(tenantId);
    return this.placed;
  }

  /** Read at every tenant transaction when tenants can be placed elsewhere: one prepared statement, not a query built each time. */
  private registeredPlacement(tenantId: string): TenantPlacement {
    assertTenantId(tenantId);
    this.placementQuery ??= this.sharedConnection.prepare<[string], { placement: TenantPlacement }>("SELECT placement FROM tenants WHERE id = ?");
    const row = this.placementQuery.get(tenantId);
    if (!row) throw new TenantNotFoundError(tenantId);
    return row.placement;
  }

  sharedMigrations(): MigrationFile[] {
    return loadMigrations(this.options.sharedMigrationsFolder);
  }

  tenantMigrations(): MigrationFile[] {
    if (this.pg) return this.pg.tenantMigrations();
    return loadMigrations(this.options.tenantMigrationsFolder);
  }

  /** The shared schema's version (migrations applied) and the latest this code knows. */
  async sharedSchemaStatus(): Promise<{ version: number; latest: number }> {
    this.assertOpen();
    if (this.pg) return this.pg.sharedSchemaStatus();
    const migrations = this.sharedMigrations();
    return { version: readSchemaVersion(this.sharedConnection, migrations), latest: migrations.length };
  }

  /**
   * Brings the shared schema to the latest version. On PostgreSQL this is the installation: the
   * two roles, the shared schema, its tables and their row-level security (src/pg/pg-engine.ts).
   */
  async runSharedMigrations(): Promise<ApplyResult> {
    this.assertOpen();
    if (this.pg) return this.pg.install();
    const result = applyMigrations(this.sharedConnection, this.sharedMigrations());
    // The roles and grants the tenant schemas placed there need (its shared tables stay empty).
    await this.placed?.install();
    return result;
  }

  /**
   * Creates tenant `tenantId`'s storage and runs `register` (the registry rows, in a session of the
   * shared store) so that neither exists without the other: on SQLite the file is built, registered,
   * then moved into place (provisionTenantDatabase); on PostgreSQL the schema and the registry rows
   * are one transaction.
   */
  async provisionTenant<T>(tenantId: string, register: () => Promise<T>): Promise<T> {
    this.assertOpen();
    assertTenantId(tenantId);
    if (this.pg) return this.pg.provisionTenant(tenantId, register);
    return this.provisionTenantDatabase(tenantId, () => register());
  }

  /**
   * Deletes tenant `tenantId`'s storage after `unregister` (its shared rows and registry row, in a
   * session of the shared store): on PostgreSQL in the same transaction as dropping its schema; on
   * SQLite the file goes once the rows are committed.
   */
  async deleteTenantStorage<T>(tenantId: string, unregister: () => Promise<T>): Promise<T> {
    this.assertOpen();
    assertTenantId(tenantId);
    this.publishedUsage.delete(tenantId);
    if (this.pg) return this.pg.deleteTenant(tenantId, unregister);
    const placement = this.placementIfRegistered(tenantId);
    const result = await unregister();
    // Like the file below: an interrupted deletion leaves an unregistered schema, never a registered tenant without one.
    if (placement === "postgres") await this.placementEngine().dropTenantSchema(tenantId);
    this.removeTenantDatabase(tenantId);
    return result;
  }

  /**
   * Provisions a tenant's file in three steps, each safe to interrupt:
   * 1. build `tenant_<id>.provisioning.sqlite` with every tenant migration, under an exclusive
   *    lock (a live provisioner is never mistaken for a dead one);
   * 2. `register()` (the registry insert, committed);
   * 3. rename the file to `tenant_<id>.sqlite`.
   * A failure removes what was made. A process killed after 1 leaves an unregistered
   * provisioning file, which `reclaimInterruptedProvisioning` deletes; killed after 2, a
   * registered one, which it renames into place. Files with final names are never deleted here.
   *
   * `startFrom` (a tenant import): step 1 starts from a copy of that verified SQLite file instead of
   * an empty one, and migrates it if it is older; `register` gets the locked connection, to adjust
   * the file in the same step (src/archive/import-tenant.ts). `register` may be async (a session of
   * the shared store): the building file stays locked until it settles.
   */
  async provisionTenantDatabase<T>(
    tenantId: string,
    register: (building: SqliteConnection) => T | Promise<T>,
    options: { startFrom?: string } = {},
  ): Promise<T> {
    this.assertOpen();
    const building = provisioningDatabasePath(this.options.dataDir, tenantId);
    const final = this.tenantDatabasePath(tenantId);
    if (existsSync(final) || existsSync(building)) {
      throw new ProvisioningError(`A database file for tenant ${tenantId} already exists.`);
    }
    let registered = false;
    try {
      const copied = options.startFrom === undefined ? undefined : copyForProvisioning(options.startFrom, building);
      const connection = openSqlite(building, {
        fileMustExist: copied !== undefined,
        synchronous: this.options.synchronous,
        busyTimeoutMs: this.options.busyTimeoutMs,
        exclusive: true,
      });
      let result: T;
      try {
        // A sweeper (reclaimInterruptedProvisioning) may have removed the unlocked copy before
        // the lock was taken: then this connection holds another file, and the import fails.
        if (copied !== undefined && fileIdentity(building)?.ino !== copied.ino) {
          throw new ProvisioningError(`The copy of ${options.startFrom} for tenant ${tenantId} was removed while it was being opened; try again.`);
        }
        applyMigrations(connection, this.tenantMigrations());
        // Registered while still locked: a sweeper never sees it unlocked and unregistered.
        result = await register(connection);
        registered = true;
      } finally {
        // Closing checkpoints the WAL into the file, so the rename below moves everything.
        connection.close();
      }
      moveIntoPlace(building, final);
      return result;
    } catch (error) {
      this.removeFiles(building);
      if (!registered) this.removeFiles(final);
      throw error;
    }
  }

  /**
   * Finishes or undoes provisioning that a dead process left half done (see
   * provisionTenantDatabase). Files another process is still building (locked) are left alone.
   * Runs when the manager starts; returns what it did.
   */
  reclaimInterruptedProvisioning(): { completed: string[]; removed: string[] } {
    this.assertOpen();
    const outcome = { completed: [] as string[], removed: [] as string[] };
    const registryExists = this.sharedConnection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tenants'").get();
    if (registryExists === undefined) return outcome;
    for (const name of readdirSync(this.options.dataDir)) {
      const tenantId = PROVISIONING_FILE.exec(name)?.[1];
      if (tenantId === undefined || !isTenantId(tenantId)) continue;
      const building = provisioningDatabasePath(this.options.dataDir, tenantId);
      if (isLockedByAnotherConnection(building)) continue;
      const registered = this.sharedDb.select({ placement: tenants.placement }).from(tenants).where(eq(tenants.id, tenantId)).get();
      if (registered?.placement === "postgres") {
        // A move back from PostgreSQL that died before its switch: the tenant is still there.
        this.removeFiles(building);
        outcome.removed.push(tenantId);
      } else if (registered && !existsSync(this.tenantDatabasePath(tenantId))) {
        moveIntoPlace(building, this.tenantDatabasePath(tenantId));
        outcome.completed.push(tenantId);
      } else if (!registered) {
        this.removeFiles(building);
        outcome.removed.push(tenantId);
      }
    }
    return outcome;
  }

  /**
   * Copies a tenant's running totals (its file's `tenant_stats`) into the control plane's
   * `tenant_usage` when they changed since this process last did: one read in a session of the
   * tenant's store, then (only after the tenant's data changed) one write in a session of the
   * shared store. The two sessions follow each other, never nest the other way round (a tenant
   * session may open a shared one, not the reverse). `tenantContext` calls it when a run that used
   * the tenant's file ends, so the control plane reads usage without opening tenant files.
   */
  async syncTenantUsage(tenantId: string): Promise<void> {
    this.assertOpen();
    const stats = await this.withTenantStore(tenantId, (store) => store.session("read", (session) => readTenantStats(session)));
    if (!stats) return;
    const version = `${stats.revision}:${stats.executionsPeriod}`;
    if (this.publishedUsage.get(tenantId) === version) return;
    await this.sharedStore().session("write", (session) => publishTenantStats(session, tenantId, stats));
    this.publishedUsage.set(tenantId, version);
  }

  private placementIfRegistered(tenantId: string): TenantPlacement | undefined {
    try {
      return this.tenantPlacement(tenantId);
    } catch (error) {
      if (error instanceof TenantNotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The bytes tenant `tenantId`'s own tables take where they live (`placement` as the caller read
   * it from the registry): its file and -wal, or its PostgreSQL schema with indexes and TOAST.
   */
  async tenantDatabaseBytes(tenantId: string, placement: TenantPlacement): Promise<number> {
    const schemas = this.schemasFor(placement);
    return schemas ? schemas.tenantSchemaBytes(tenantId) : databaseFileBytes(this.tenantDatabasePath(tenantId));
  }

  /** TENANT_POSTGRES_URL's engine, or why a tenant placed there cannot be reached. */
  placementEngine(): PgEngine {
    if (this.placed) return this.placed;
    throw new NotOnThisEngineError(
      this.pg
        ? "This installation keeps every tenant in PostgreSQL (DATABASE_URL); placing tenants elsewhere is for SQLite installations with TENANT_POSTGRES_URL."
        : "TENANT_POSTGRES_URL is not set: this installation has no PostgreSQL to place tenants on (README: Settings).",
    );
  }

  /** Closes the tenant's handle (at once if idle, else when its holders finish) and deletes its files. */
  removeTenantDatabase(tenantId: string): void {
    this.publishedUsage.delete(tenantId);
    this.pool.closeTenant(tenantId);
    this.removeTenantFiles(tenantId);
  }

  /** Closes the handle of a tenant without touching its file (e.g. after an external migration). */
  closeTenantDatabase(tenantId: string): void {
    this.pool.closeTenant(tenantId);
  }

  /**
   * SQLite's `PRAGMA quick_check` on a registered tenant's file, on a connection of its own
   * (opened with `fileMustExist`, closed at once; the pool's handle is neither used nor
   * disturbed). `ok` is true when SQLite answers "ok"; otherwise `result` holds the problems it
   * found (at most 100 lines), or why the file could not be opened as a database. Never creates
   * a file: an unknown tenant is a TenantNotFoundError, a missing file a TenantDatabaseMissingError.
   */
  quickCheck(tenantId: string): { ok: boolean; result: string } {
    this.assertOpen();
    assertTenantId(tenantId);
    if (this.registeredPlacement(tenantId) === "postgres") throw new NotOnThisEngineError(placedOnPostgresReason(tenantId, "integrity check"));
    const check = quickCheckFile(this.tenantDatabasePath(tenantId), { synchronous: this.options.synchronous, busyTimeoutMs: this.options.busyTimeoutMs });
    if (check.state === "missing") throw new TenantDatabaseMissingError(tenantId);
    return { ok: check.state === "ok", result: check.result };
  }

  poolStats(): PoolStats {
    return this.pool.stats();
  }

  isTenantOpen(tenantId: string): boolean {
    return this.pool.isOpen(tenantId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pool.closeAll();
    this.sharedFile?.connection.close();
    this.pgClosed = Promise.all([this.pg?.close(), this.placed?.close()])
      .then(() => undefined)
      .catch((error: unknown) => console.error("The PostgreSQL pools did not close cleanly:", error));
    if (HybridDatabaseManager.instance === this) HybridDatabaseManager.instance = undefined;
  }

  /** Resolves once the PostgreSQL pools have closed (at once on SQLite); call after close(). */
  async whenClosed(): Promise<void> {
    await this.pgClosed;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private removeTenantFiles(tenantId: string): void {
    this.removeFiles(this.tenantDatabasePath(tenantId));
  }

  private removeFiles(databasePath: string): void {
    for (const file of sqliteCompanionFiles(databasePath)) rmSync(file, { force: true });
  }

  private openTenantHandle(tenantId: string): TenantHandle {
    if (this.registeredPlacement(tenantId) === "postgres") {
      throw new NotOnThisEngineError(
        this.placed
          ? placedOnPostgresReason(tenantId, "its SQLite file")
          : `Tenant ${tenantId} lives in PostgreSQL (placement postgres), but TENANT_POSTGRES_URL is not set: set it to the database the tenant was moved to (README: Settings).`,
      );
    }
    const path = this.tenantDatabasePath(tenantId);
    let connection: SqliteConnection;
    try {
      connection = openSqlite(path, {
        fileMustExist: true,
        synchronous: this.options.synchronous,
        busyTimeoutMs: this.options.busyTimeoutMs,
      });
    } catch (error) {
      if (!existsSync(path)) throw new TenantDatabaseMissingError(tenantId);
      throw error;
    }
    const identity = fileIdentity(path);
    try {
      this.ensureSchemaCurrent(tenantId, connection);
    } catch (error) {
      connection.close();
      throw error;
    }
    return {
      tenantId,
      connection,
      db: wrapTenant(connection),
      isStale: () => {
        const now = fileIdentity(path);
        return now === undefined || identity === undefined || now.ino !== identity.ino || now.dev !== identity.dev;
      },
    };
  }

  /** docs/architecture.md (Migrations): a tenant that is behind is migrated on open or refused; never served as is. */
  private ensureSchemaCurrent(tenantId: string, connection: SqliteConnection): void {
    const migrations = this.tenantMigrations();
    const version = readSchemaVersion(connection, migrations);
    if (version >= migrations.length) return;
    if (this.options.migrateOnOpen === "strict") {
      throw new TenantSchemaOutdatedError(tenantId, version, migrations.length);
    }
    applyMigrations(connection, migrations);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("HybridDatabaseManager is closed.");
  }
}

/** Why a file feature does not apply to a tenant placed on TENANT_POSTGRES_URL's PostgreSQL. */
export function placedOnPostgresReason(tenantId: string, what: string): string {
  return `Tenant ${tenantId} lives in PostgreSQL (placement postgres, TENANT_POSTGRES_URL), so ${what} does not apply to it. Move it back with \`sigil tenants move --to sqlite\`, or copy its schema with pg_dump (docs/scaling.md: Backups).`;
}

function fileIdentity(path: string): { ino: number; dev: number } | undefined {
  try {
    const { ino, dev } = statSync(path);
    return { ino, dev };
  } catch {
    return undefined;
  }
}

/** Copies an imported tenant file to its provisioning name; never over an existing file. */
function copyForProvisioning(source: string, building: string): { ino: number } {
  copyFileSync(source, building, constants.COPYFILE_EXCL);
  return { ino: statSync(building).ino };
}

/** Renames a finished provisioning file; a concurrent sweeper may already have done it. */
function moveIntoPlace(building: string, final: string): void {
  try {
    renameSync(building, final);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT" && existsSync(final)) return;
    throw error;
  }
}
