import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { list as listTar, type ReadEntry } from "tar";
import { SqliteFileDamagedError, verifySqliteFile } from "../backup/sqlite-copy.ts";
import { TenantArchiveError } from "../errors.ts";
import type { MigrationFile } from "../migrations/migration-files.ts";
import {
  ARCHIVE_FORMAT_VERSION,
  DATA_ENTRIES,
  MANIFEST_ENTRY,
  manifestHeader,
  manifestSchema,
  registryEntrySchema,
  sharedRowsSchema,
  TENANT_FILE_ENTRY,
  type ArchiveManifest,
  type RawRow,
  type SharedRows,
} from "./format.ts";

/** JSON entries are read into memory; anything larger is not an archive Sigil wrote. */
const MAX_JSON_ENTRY_BYTES = 256 * 1024 * 1024;

export interface VerifiedArchive {
  manifest: ArchiveManifest;
  registry: RawRow;
  rows: SharedRows;
  /** The tenant file, extracted into the work folder and checked with integrity_check. */
  tenantFile: string;
  /** Migrations the tenant file has applied (≤ the code's: older files are migrated on import). */
  tenantSchemaVersion: number;
}

export interface SchemaLimits {
  sharedMigrations: readonly MigrationFile[];
  tenantMigrations: readonly MigrationFile[];
}

interface ReadEntryResult {
  bytes: number;
  sha256: string;
  text?: string;
}

/**
 * Reads and checks a tenant archive before anything is imported: only the known entry names (so
 * no entry can name a path outside `workDir`), a known format version, every entry's size and
 * SHA-256 as the manifest states, schema versions no newer than this code's, and a tenant file
 * that passes integrity_check. Any problem is a TenantArchiveError saying which.
 */
export function readTenantArchive(file: string, workDir: string, limits: SchemaLimits): VerifiedArchive {
  if (!existsSync(file)) throw new TenantArchiveError(`No archive at ${file}.`);
  const tenantFile = join(workDir, TENANT_FILE_ENTRY);
  const entries = readEntries(file, tenantFile);
  const manifest = parseManifest(file, entries.get(MANIFEST_ENTRY)?.text);
  for (const name of DATA_ENTRIES) {
    const found = entries.get(name);
    const expected = manifest.entries[name];
    if (!found) throw new TenantArchiveError(`The archive has no ${name}; it is incomplete.`);
    if (found.bytes !== expected.bytes || found.sha256 !== expected.sha256) {
      throw new TenantArchiveError(
        `Checksum mismatch for ${name}: the manifest says ${expected.bytes} bytes with SHA-256 ${expected.sha256}, the archive holds ${found.bytes} bytes with ${found.sha256}. The archive was altered or damaged.`,
      );
    }
  }
  refuseNewerSchema("shared.sqlite rows", manifest.schema.shared, limits.sharedMigrations.length);
  refuseNewerSchema("tenant file", manifest.schema.tenant, limits.tenantMigrations.length);
  const tenantSchemaVersion = verifyTenantFile(tenantFile, limits.tenantMigrations);
  return {
    manifest,
    registry: parseJsonEntry(entries, DATA_ENTRIES[0], registryEntrySchema),
    rows: parseJsonEntry(entries, DATA_ENTRIES[1], sharedRowsSchema),
    tenantFile,
    tenantSchemaVersion,
  };
}

/** Every entry, hashed; JSON kept as text, the tenant file written to `tenantFile`. */
function readEntries(file: string, tenantFile: string): Map<string, ReadEntryResult> {
  const known = new Set<string>([MANIFEST_ENTRY, ...DATA_ENTRIES]);
  const entries = new Map<string, ReadEntryResult>();
  let problem: TenantArchiveError | undefined;
  // Open while the tenant file's entry is read; closed if the archive ends in the middle of it.
  let open: number | undefined;
  const onReadEntry = (entry: ReadEntry) => {
    if (problem) return;
    const name = entry.path;
    if (!known.has(name) || entries.has(name) || entry.type !== "File") {
      problem = new TenantArchiveError(
        `The archive holds an entry Sigil does not write (${JSON.stringify(name.slice(0, 200))}, ${entry.type}); it is refused and nothing was extracted.`,
      );
      return;
    }
    const hash = createHash("sha256");
    const chunks: Buffer[] = [];
    let bytes = 0;
    const descriptor = name === TENANT_FILE_ENTRY ? openSync(tenantFile, "wx") : undefined;
    open = descriptor;
    entry.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
      if (descriptor !== undefined) writeSync(descriptor, chunk);
      else if (bytes <= MAX_JSON_ENTRY_BYTES) chunks.push(chunk);
    });
    entry.on("end", () => {
      if (descriptor !== undefined) closeSync(descriptor);
      open = undefined;
      if (descriptor === undefined && bytes > MAX_JSON_ENTRY_BYTES) problem = new TenantArchiveError(`${name} is larger than any archive Sigil writes.`);
      const result: ReadEntryResult = { bytes, sha256: hash.digest("hex") };
      if (descriptor === undefined) result.text = Buffer.concat(chunks).toString("utf8");
      entries.set(name, result);
    });
  };
  try {
    listTar({ file, sync: true, strict: true, onReadEntry });
  } catch (error) {
    if (open !== undefined) closeSync(open);
    throw new TenantArchiveError(`${file} is not a readable tenant archive (truncated or damaged): ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  if (problem) throw problem;
  if (entries.size === 0) throw new TenantArchiveError(`${file} holds no entries; it is not a tenant archive.`);
  return entries;
}

function parseManifest(file: string, text: string | undefined): ArchiveManifest {
  if (text === undefined) throw new TenantArchiveError(`${file} has no ${MANIFEST_ENTRY}; it is not a tenant archive.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TenantArchiveError(`The archive's ${MANIFEST_ENTRY} is not valid JSON.`);
  }
  const header = manifestHeader.safeParse(value);
  if (!header.success) throw new TenantArchiveError(`${file} is not a Sigil tenant archive (its manifest names another format).`);
  if (header.data.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    throw new TenantArchiveError(
      `The archive is in format version ${header.data.formatVersion}; this Sigil reads version ${ARCHIVE_FORMAT_VERSION} only. Import it with the Sigil that wrote it, or a newer one.`,
    );
  }
  const manifest = manifestSchema.safeParse(value);
  if (!manifest.success)
    throw new TenantArchiveError(
      `The archive's manifest is malformed: ${manifest.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}.`,
    );
  return manifest.data;
}

function refuseNewerSchema(what: string, archived: number, known: number): void {
  if (archived > known) {
    throw new TenantArchiveError(
      `The archive's ${what} are at schema version ${archived}; this Sigil knows ${known}. Upgrade this installation before importing it.`,
    );
  }
}

/**
 * integrity_check, and the version from the file itself (the manifest is not trusted for it): a
 * migration recorded after the newest this code knows means the file is newer than this code.
 */
function verifyTenantFile(path: string, migrations: readonly MigrationFile[]): number {
  let version: number;
  try {
    version = verifySqliteFile(path, migrations).schemaVersion;
  } catch (error) {
    if (error instanceof SqliteFileDamagedError) throw new TenantArchiveError(`The archive's tenant file is damaged: ${error.report}`, { cause: error });
    throw error;
  }
  const newest = migrations.at(-1)?.folderMillis ?? 0;
  const connection = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const journal = connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    const unknown =
      journal === undefined ? 0 : (connection.prepare('SELECT COUNT(*) AS n FROM "__drizzle_migrations" WHERE created_at > ?').get(newest) as { n: number }).n;
    if (unknown > 0) {
      throw new TenantArchiveError(
        `The archive's tenant file has ${unknown} migration(s) newer than this Sigil knows. Upgrade this installation before importing it.`,
      );
    }
  } finally {
    connection.close();
  }
  return version;
}

function parseJsonEntry<T>(
  entries: Map<string, ReadEntryResult>,
  name: string,
  schema: { safeParse: (value: unknown) => { success: true; data: T } | { success: false } },
): T {
  let value: unknown;
  try {
    value = JSON.parse(entries.get(name)?.text ?? "");
  } catch {
    throw new TenantArchiveError(`The archive's ${name} is not valid JSON.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TenantArchiveError(`The archive's ${name} does not hold the rows Sigil writes.`);
  return parsed.data;
}
