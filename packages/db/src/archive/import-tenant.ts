import { assertFileFeatureAvailable } from "../file-features.ts";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ConflictError, TenantArchiveError } from "../errors.ts";
import type { HybridDatabaseManager } from "../hybrid-manager.ts";
import { assertValidSlug, isTenantId, provisioningDatabasePath } from "../identifiers.ts";
import { sealSecretFields } from "../models/settings.ts";
import type { SqliteConnection } from "../sqlite-file.ts";
import { publishTenantStatsOn, readTenantStatsOn } from "../usage-mirror.ts";
import { signalWork } from "../work-signal.ts";
import { CARRIED_SHARED_TABLES, type OmittedSecret, type RawRow, type SharedRows } from "./format.ts";

type RawValue = RawRow[string] | undefined;
import { readTenantArchive, type VerifiedArchive } from "./read-archive.ts";

export interface ImportOptions {
  /** The slug on this installation (default: the archive's). */
  slug?: string;
  /** The display name (default: the archive's). */
  name?: string;
  /** Why the archive's custom domain cannot serve here (e.g. it lies under ROOT_DOMAIN), or null. */
  domainProblem?: (domain: string) => string | null;
}

export interface ImportResult {
  tenant: { id: string; slug: string; name: string; status: string; plan: string; domain: string | null };
  source: { tenantId: string; slug: string; exportedAt: string };
  /** False when the archive's tenant id was taken here, so the tenant got a new one. */
  keptTenantId: boolean;
  tenantSchema: { archived: number; now: number };
  counts: { users: number; apiKeys: number; settings: number };
  /** Rows of users, API keys and settings whose id was taken here and replaced (references follow). */
  replacedIds: number;
  /** API keys whose key id is in use here: imported revoked, under a new key id. */
  revokedApiKeys: { name: string; keyId: string }[];
  omittedSecrets: OmittedSecret[];
  /** Things the operator should know (a dropped domain, a plan limit already exceeded…). */
  notes: string[];
}

/**
 * Columns of the tenant file that hold ids of shared rows (users, API keys, settings). When those
 * ids must change (an import into the installation they came from), these follow. The JSON
 * `details` of audit entries keep the ids as they were written.
 */
export const SHARED_ID_REFERENCES: readonly (readonly [string, string])[] = [
  ["prompts", "created_by"],
  ["prompts", "updated_by"],
  ["prompt_versions", "created_by"],
  ["executions", "created_by"],
  ["deployments", "created_by"],
  ["files", "uploaded_by"],
  ["datasets", "created_by"],
  ["datasets", "updated_by"],
  ["batch_runs", "created_by"],
  ["execution_comments", "created_by"],
  ["prompt_comments", "created_by"],
  ["audit_log", "actor_id"],
  ["audit_log", "target_id"],
];
/** Columns named like references that hold no shared row's id (a worker's claim id). */
export const NOT_SHARED_ID_REFERENCES: readonly (readonly [string, string])[] = [
  ["executions", "claimed_by"],
  ["webhook_deliveries", "claimed_by"],
];

const WORK_DIR_PREFIX = ".import-";
const WORK_DIR = /^\.import-(\d+)-[A-Za-z0-9]+$/;

/**
 * Recreates a tenant from an archive (format.ts) on this installation. Everything is checked
 * before anything is written (read-archive.ts, then the slug, the columns, the ids); then the
 * tenant is provisioned the way every tenant is (HybridDatabaseManager.provisionTenantDatabase):
 * its file is built under a provisioning name, and the registry row, its control-plane rows and
 * its users, API keys and settings are inserted in one transaction while that file is locked.
 * A failure anywhere leaves no registry row, no shared row and no tenant file.
 */
export async function importTenantArchive(manager: HybridDatabaseManager, archive: string, options: ImportOptions = {}): Promise<ImportResult> {
  assertFileFeatureAvailable("tenant archives", manager);
  removeAbandonedWorkDirs(manager.options.dataDir);
  // In the data directory: the tenant file is copied from here, on the same file system.
  const workDir = mkdtempSync(join(manager.options.dataDir, `${WORK_DIR_PREFIX}${process.pid}-`));
  try {
    const verified = readTenantArchive(archive, workDir, { sharedMigrations: manager.sharedMigrations(), tenantMigrations: manager.tenantMigrations() });
    return await provisionFromArchive(manager, verified, options);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The work folders of imports whose process is gone (killed mid-way: its `finally` never ran).
 * The provisioning file such an import left is reclaimed by the manager itself
 * (HybridDatabaseManager.reclaimInterruptedProvisioning).
 */
function removeAbandonedWorkDirs(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    const pid = Number(WORK_DIR.exec(name)?.[1]);
    if (Number.isSafeInteger(pid) && pid > 0 && !isRunning(pid)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function provisionFromArchive(manager: HybridDatabaseManager, verified: VerifiedArchive, options: ImportOptions): Promise<ImportResult> {
  const shared = manager.getSharedDatabase().$client;
  const { registry, rows, manifest } = verified;
  const slug = options.slug ?? String(registry.slug);
  assertValidSlug(slug);
  const name = (options.name ?? String(registry.name)).trim();
  if (name.length === 0 || name.length > 100)
    throw new TenantArchiveError(`The workspace name must be 1 to 100 characters; got ${JSON.stringify(name.slice(0, 120))}.`);
  assertSlugFree(shared, slug);
  assertKnownColumns(shared, "tenants", [registry]);
  for (const table of CARRIED_SHARED_TABLES) assertKnownColumns(shared, table, rows[table]);
  const notes: string[] = [];
  const tenantId = freeTenantId(manager, shared, registry.id);
  const domain = usableDomain(shared, registry.domain, options.domainProblem, notes);
  const outcome = await manager.provisionTenantDatabase(
    tenantId,
    (building) =>
      // A write session of the shared store: its lock keeps every other chain's statements off
      // shared.sqlite's connection while these synchronous ones run in its transaction.
      manager.sharedStore().session("write", async () => {
        assertSlugFree(shared, slug);
        const now = Date.now();
        const ids = replacementIds(shared, rows);
        const keys = revokeTakenKeyIds(shared, rows.api_keys, now);
        rewriteReferences(building, ids);
        insertRow(shared, "tenants", { ...registry, id: tenantId, slug, name, domain });
        insertRow(shared, "tenant_usage", { tenant_id: tenantId, schema_version: manager.tenantMigrations().length, updated_at: now });
        const stats = readTenantStatsOn(building);
        if (stats) publishTenantStatsOn(shared, tenantId, stats, now);
        // The worker's index: look once for executions that were queued when the archive was made.
        insertRow(shared, "tenant_work", { tenant_id: tenantId, pending_since: now, pending_generation: 1, lease_check_at: now });
        for (const user of rows.users) insertRow(shared, "users", { ...user, id: mapped(ids, user.id), tenant_id: tenantId });
        for (const key of keys.rows) insertRow(shared, "api_keys", { ...key, id: mapped(ids, key.id), tenant_id: tenantId, user_id: mapped(ids, key.user_id) });
        for (const setting of rows.settings) {
          insertRow(shared, "settings", { ...setting, id: mapped(ids, setting.id), tenant_id: tenantId, payload: sealedPayload(manager, setting) });
        }
        return { replacedIds: ids.size, revoked: keys.revoked, storageBytes: stats?.storageBytes ?? 0 };
      }),
    { startFrom: verified.tenantFile },
  );
  signalWork(manager.options.dataDir);
  noteLimits(registry, rows, outcome.storageBytes, notes);
  if (outcome.revoked.length > 0) {
    notes.push(
      `${outcome.revoked.length} API key(s) were imported revoked under a new key id: their key id is already used on this installation (the archive came from here). Create new keys for them.`,
    );
  }
  if (manifest.omittedSecrets.length > 0) {
    notes.push(
      `${manifest.omittedSecrets.length} secret(s) were not in the archive (exported without --include-secrets): enter them again in the workspace's settings.`,
    );
  }
  return {
    tenant: { id: tenantId, slug, name, status: String(registry.status), plan: String(registry.plan), domain },
    source: { tenantId: manifest.source.tenantId, slug: manifest.source.slug, exportedAt: manifest.exportedAt },
    keptTenantId: tenantId === registry.id,
    tenantSchema: { archived: verified.tenantSchemaVersion, now: manager.tenantMigrations().length },
    counts: { users: rows.users.length, apiKeys: rows.api_keys.length, settings: rows.settings.length },
    replacedIds: outcome.replacedIds,
    revokedApiKeys: outcome.revoked,
    omittedSecrets: manifest.omittedSecrets,
    notes,
  };
}

function assertSlugFree(shared: SqliteConnection, slug: string): void {
  if (shared.prepare("SELECT 1 FROM tenants WHERE slug = ?").get(slug) !== undefined) {
    throw new ConflictError(`The slug "${slug}" is already used by a workspace of this installation; import under another one (--slug).`);
  }
}

/** Rows written by a newer shared schema may carry columns this installation does not have. */
function assertKnownColumns(shared: SqliteConnection, table: string, rows: readonly RawRow[]): void {
  const columns = new Set((shared.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((column) => column.name));
  for (const row of rows) {
    const unknown = Object.keys(row).filter((column) => !columns.has(column));
    if (unknown.length > 0) throw new TenantArchiveError(`The archive's ${table} rows have columns this installation does not know (${unknown.join(", ")}).`);
  }
}

/** The archive's tenant id when nothing here uses it (another installation), else a new one. */
function freeTenantId(manager: HybridDatabaseManager, shared: SqliteConnection, archived: RawValue): string {
  if (!isTenantId(archived)) return randomUUID();
  const registered = shared.prepare("SELECT 1 FROM tenants WHERE id = ?").get(archived) !== undefined;
  const onDisk = existsSync(manager.tenantDatabasePath(archived)) || existsSync(provisioningDatabasePath(manager.options.dataDir, archived));
  return registered || onDisk ? randomUUID() : archived;
}

function usableDomain(shared: SqliteConnection, archived: RawValue, problemOf: ImportOptions["domainProblem"], notes: string[]): string | null {
  if (typeof archived !== "string" || archived === "") return null;
  const problem =
    problemOf?.(archived) ?? (shared.prepare("SELECT 1 FROM tenants WHERE domain = ?").get(archived) !== undefined ? "another workspace here uses it" : null);
  if (problem === null) return archived;
  notes.push(`The custom domain ${archived} was not kept: ${problem}. Set a domain again if the workspace needs one.`);
  return null;
}

/** Old id → new id for every carried row whose id is taken on this installation. */
function replacementIds(shared: SqliteConnection, rows: SharedRows): Map<string, string> {
  const ids = new Map<string, string>();
  for (const table of CARRIED_SHARED_TABLES) {
    const taken = shared.prepare(`SELECT 1 FROM "${table}" WHERE id = ?`);
    for (const row of rows[table]) {
      if (typeof row.id === "string" && taken.get(row.id) !== undefined) ids.set(row.id, randomUUID());
    }
  }
  return ids;
}

/**
 * Authentication finds a key by its key id alone, before it knows the tenant
 * (models/authentication-lookups.ts), so a key id must stay unique across the installation. A key
 * whose id is taken (the archive came from this installation) cannot keep working here: it is
 * imported revoked, under a new random key id, so its record survives and nothing else changes.
 */
function revokeTakenKeyIds(shared: SqliteConnection, keys: readonly RawRow[], now: number): { rows: RawRow[]; revoked: { name: string; keyId: string }[] } {
  const taken = shared.prepare("SELECT 1 FROM api_keys WHERE key_id = ?");
  const revoked: { name: string; keyId: string }[] = [];
  const rows = keys.map((key) => {
    if (taken.get(key.key_id) === undefined) return key;
    const keyId = randomBytes(8).toString("hex");
    revoked.push({ name: String(key.name), keyId });
    return { ...key, key_id: keyId, status: "revoked", revoked_at: key.revoked_at ?? now };
  });
  return { rows, revoked };
}

function rewriteReferences(building: SqliteConnection, ids: Map<string, string>): void {
  if (ids.size === 0) return;
  const rewrite = building.transaction(() => {
    for (const [table, column] of SHARED_ID_REFERENCES) {
      const update = building.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE "${column}" = ?`);
      for (const [from, to] of ids) update.run(to, from);
    }
  });
  rewrite.immediate();
}

function mapped(ids: Map<string, string>, value: RawValue): RawRow[string] {
  return typeof value === "string" ? (ids.get(value) ?? value) : (value ?? null);
}

/** Plain-text secrets (an archive made with --include-secrets) are sealed under this installation's key. */
function sealedPayload(manager: HybridDatabaseManager, setting: RawRow): RawRow[string] {
  if (typeof setting.payload !== "string") return setting.payload ?? null;
  const payload = JSON.parse(setting.payload) as Record<string, unknown>;
  return JSON.stringify(sealSecretFields(String(setting.type), payload, (plaintext) => manager.secrets.seal(plaintext)));
}

function insertRow(shared: SqliteConnection, table: string, row: RawRow): void {
  const columns = Object.keys(row);
  const sql = `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;
  shared.prepare(sql).run(...columns.map((column) => row[column] ?? null));
}

/** The archive carries its own plan limits; an import never trims data to fit them, it says so. */
function noteLimits(registry: RawRow, rows: SharedRows, storageBytes: number, notes: string[]): void {
  const users = Number(registry.limit_users);
  if (rows.users.length > users)
    notes.push(`The workspace has ${rows.users.length} users, over its plan's limit of ${users}: no one can be invited until some are removed.`);
  const storageMb = Number(registry.limit_storage_mb);
  if (storageBytes > storageMb * 1024 * 1024)
    notes.push(`Its files use ${Math.ceil(storageBytes / 1024 / 1024)} MB, over its plan's ${storageMb} MB: uploads are refused until some are deleted.`);
}
