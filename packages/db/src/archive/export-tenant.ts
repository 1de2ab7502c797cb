import { assertTenantFileFeature } from "../file-features.ts";
import { existsSync, linkSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { sqliteConnectionOf } from "../engine/sqlite-store.ts";
import { basename, dirname, join } from "node:path";
import { create as createTar } from "tar";
import { copyLiveDatabase, fileSha256, flushToDisk } from "../backup/sqlite-copy.ts";
import { TenantArchiveError, TenantNotFoundError } from "../errors.ts";
import type { HybridDatabaseManager } from "../hybrid-manager.ts";
import { assertTenantId } from "../identifiers.ts";
import { SECRET_SETTING_FIELDS } from "../models/settings.ts";
import { isSealedSecret } from "../secrets/secret-box.ts";
import type { SqliteConnection } from "../sqlite-file.ts";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  DATA_ENTRIES,
  MANIFEST_ENTRY,
  REGISTRY_ENTRY,
  SHARED_ROWS_ENTRY,
  TENANT_FILE_ENTRY,
  type ArchiveManifest,
  type CarriedSharedTable,
  type OmittedSecret,
  type RawRow,
  type SharedRows,
} from "./format.ts";

export interface ExportOptions {
  /** Write secret fields decrypted (plain text) instead of leaving them out. */
  includeSecrets: boolean;
  /** What wrote the archive, recorded in the manifest. */
  sigil: { version: string | null; commit: string | null };
  /** Pages of the tenant file copied so far, and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportResult {
  file: string;
  bytes: number;
  sha256: string;
  manifest: ArchiveManifest;
}

/**
 * Writes one tenant's archive to `destination` (format.ts), while the server may be running: the
 * shared rows are read in one read transaction, the tenant file is copied with copyLiveDatabase
 * (one consistent point, verified). The archive is built beside `destination` and renamed into
 * place at the end, so a failure leaves no file, and an existing file is never overwritten.
 */
export async function exportTenantArchive(
  manager: HybridDatabaseManager,
  tenantId: string,
  destination: string,
  options: ExportOptions,
): Promise<ExportResult> {
  assertTenantId(tenantId);
  assertTenantFileFeature("tenant archives", manager, tenantId);
  refuseExisting(destination);
  if (!existsSync(dirname(destination))) throw new TenantArchiveError(`Cannot write ${destination}: the folder ${dirname(destination)} does not exist.`);
  const staging = mkdtempSync(join(dirname(destination), `.${basename(destination)}.staging-`));
  const partial = `${destination}.partial-${process.pid}`;
  try {
    // One read session of the shared store: a consistent snapshot, taken under the connection's lock.
    const snapshot = await manager.sharedStore().session("read", async (s) => readSharedSnapshot(sqliteConnectionOf(s), tenantId));
    const { rows, omitted } = prepareSecrets(snapshot.rows, options.includeSecrets, (sealed) => manager.secrets.open(sealed));
    writeFileSync(join(staging, REGISTRY_ENTRY), JSON.stringify(snapshot.registry));
    writeFileSync(join(staging, SHARED_ROWS_ENTRY), JSON.stringify(rows));
    const copy = await copyLiveDatabase(manager.tenantDatabasePath(tenantId), join(staging, TENANT_FILE_ENTRY), {
      migrations: manager.tenantMigrations(),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      sigil: options.sigil,
      exportedAt: new Date().toISOString(),
      source: { tenantId, slug: String(snapshot.registry.slug), name: String(snapshot.registry.name) },
      schema: { shared: (await manager.sharedSchemaStatus()).version, tenant: copy.schemaVersion },
      entries: {
        [REGISTRY_ENTRY]: await describeEntry(join(staging, REGISTRY_ENTRY)),
        [SHARED_ROWS_ENTRY]: await describeEntry(join(staging, SHARED_ROWS_ENTRY)),
        [TENANT_FILE_ENTRY]: { bytes: copy.bytes, sha256: copy.sha256 },
      },
      secrets: options.includeSecrets ? "plaintext" : "omitted",
      omittedSecrets: omitted,
      counts: { users: rows.users.length, apiKeys: rows.api_keys.length, settings: rows.settings.length },
    };
    writeFileSync(join(staging, MANIFEST_ENTRY), JSON.stringify(manifest, null, 2));
    await createTar({ gzip: true, file: partial, cwd: staging, portable: true }, [MANIFEST_ENTRY, ...DATA_ENTRIES]);
    flushToDisk(partial);
    placeWithoutOverwriting(partial, destination);
    flushToDisk(dirname(destination));
    return { file: destination, bytes: statSync(destination).size, sha256: await fileSha256(destination), manifest };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** A hard link fails if `destination` appeared meanwhile, where a rename would replace it. */
function placeWithoutOverwriting(partial: string, destination: string): void {
  try {
    linkSync(partial, destination);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") refuseExisting(destination);
    throw error;
  }
  rmSync(partial, { force: true });
}

function refuseExisting(destination: string): void {
  if (existsSync(destination)) throw new TenantArchiveError(`${destination} already exists; choose another --out or remove it first.`);
}

/** The registry row and the carried shared rows of one tenant, as of one committed point. */
function readSharedSnapshot(shared: SqliteConnection, tenantId: string): { registry: RawRow; rows: SharedRows } {
  const read = shared.transaction(() => {
    const registry = shared.prepare("SELECT * FROM tenants WHERE id = ?").get(tenantId) as RawRow | undefined;
    if (!registry) throw new TenantNotFoundError(tenantId);
    const rowsOf = (table: CarriedSharedTable) =>
      shared.prepare(`SELECT * FROM "${table}" WHERE tenant_id = ? ORDER BY created_at, id`).all(tenantId) as RawRow[];
    return { registry, rows: { users: rowsOf("users"), api_keys: rowsOf("api_keys"), settings: rowsOf("settings") } };
  });
  // DEFERRED: a read transaction; WAL lets the server keep writing meanwhile.
  return read.deferred();
}

/**
 * Secret fields are sealed under this installation's key, which the destination does not have.
 * They are never written sealed: either decrypted (`includeSecrets`, the operator asked for plain
 * text) or emptied with their hint and listed in the manifest, to be entered again.
 */
export function prepareSecrets(rows: SharedRows, includeSecrets: boolean, open: (sealed: string) => string): { rows: SharedRows; omitted: OmittedSecret[] } {
  const omitted: OmittedSecret[] = [];
  const settings = rows.settings.map((row) => {
    const type = String(row.type);
    const fields = SECRET_SETTING_FIELDS[type] ?? [];
    if (fields.length === 0 || typeof row.payload !== "string") return row;
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    for (const field of fields) {
      const value = payload[field];
      if (typeof value !== "string" || value === "") continue;
      if (includeSecrets) {
        payload[field] = isSealedSecret(value) ? open(value) : value;
      } else {
        payload[field] = "";
        payload[`${field}Hint`] = null;
        omitted.push({ type, identifier: String(row.identifier), field });
      }
    }
    return { ...row, payload: JSON.stringify(payload) };
  });
  return { rows: { ...rows, settings }, omitted };
}

async function describeEntry(path: string): Promise<{ bytes: number; sha256: string }> {
  return { bytes: statSync(path).size, sha256: await fileSha256(path) };
}
