import { z } from "zod";

/**
 * A tenant archive (`sigil export` / `sigil import`): one gzip-compressed tar file holding exactly
 * the entries below and nothing else. `manifest.json` describes the others (bytes + SHA-256 each)
 * and the schema versions they were written at; a reader refuses any other entry name, so an
 * entry can never name a path outside the folder it is read into.
 */
export const ARCHIVE_FORMAT = "sigil-tenant-archive";
/** Raised when the layout of an entry changes; a reader refuses versions it does not know. */
export const ARCHIVE_FORMAT_VERSION = 1;
export const ARCHIVE_SUFFIX = ".sigil-tenant.tar.gz";

export const MANIFEST_ENTRY = "manifest.json";
export const REGISTRY_ENTRY = "registry.json";
export const SHARED_ROWS_ENTRY = "shared-rows.json";
export const TENANT_FILE_ENTRY = "tenant.sqlite";
/** The entries the manifest describes, in the order they are written after it. */
export const DATA_ENTRIES = [REGISTRY_ENTRY, SHARED_ROWS_ENTRY, TENANT_FILE_ENTRY] as const;
export type DataEntry = (typeof DATA_ENTRIES)[number];

/**
 * What happens to each shared.sqlite table that holds rows of a tenant (every table with a
 * `tenant_id`, or keyed by one). `carry`: its rows are in the archive and recreated on import;
 * `recreate`: the importer writes fresh rows; `leave`: stays with the source installation.
 */
export const SHARED_TABLE_DECISIONS = {
  tenants: "carry: the registry row (name, plan, limits, features, billing, domain); slug and id may change on import",
  users: "carry: with password hashes (scrypt, installation-independent), so passwords keep working; pending invitations too",
  api_keys: "carry: key id + SHA-256 of the secret, so the old keys keep working; a key id already used on the destination is imported revoked under a new id",
  settings: "carry: payloads as stored, except sealed secrets (encrypted under the source's key): omitted, or plain text with --include-secrets",
  sessions: "leave: sign-ins do not move; users sign in again on the destination",
  sign_in_failures: "leave: lockout counters are short-lived and keyed by the source tenant id",
  rate_limit_buckets: "leave: short-lived token buckets, keyed by the source's ids",
  tenant_usage: "recreate: recomputed from the imported tenant file (its tenant_stats)",
  tenant_work: "recreate: marked pending so the destination's worker looks for queued executions once",
  admin_audit_log: "leave: the source installation's record; the destination records tenant.imported",
  maintenance_results: "leave: results of the source's maintenance runs",
} as const;

/** The shared tables whose rows travel in `shared-rows.json`, scoped by `tenant_id`. */
export const CARRIED_SHARED_TABLES = ["users", "api_keys", "settings"] as const;
export type CarriedSharedTable = (typeof CARRIED_SHARED_TABLES)[number];

/** A row as SQLite stores it (column name → value): timestamps are integers, JSON columns text. */
export type RawRow = Record<string, string | number | null>;

export interface SharedRows {
  users: RawRow[];
  api_keys: RawRow[];
  settings: RawRow[];
}

const entryDescription = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

const omittedSecret = z.object({ type: z.string(), identifier: z.string(), field: z.string() });
export type OmittedSecret = z.infer<typeof omittedSecret>;

/** Read first, in two steps: the format and its version, then (only if known) the rest. */
export const manifestHeader = z.object({ format: z.literal(ARCHIVE_FORMAT), formatVersion: z.number().int() });

export const manifestSchema = manifestHeader.extend({
  formatVersion: z.literal(ARCHIVE_FORMAT_VERSION),
  sigil: z.object({ version: z.string().nullable(), commit: z.string().nullable() }),
  exportedAt: z.iso.datetime(),
  source: z.object({ tenantId: z.string(), slug: z.string(), name: z.string() }),
  /** Migrations applied to shared.sqlite (the rows' layout) and to the tenant file. */
  schema: z.object({ shared: z.number().int().nonnegative(), tenant: z.number().int().nonnegative() }),
  entries: z.object({ [REGISTRY_ENTRY]: entryDescription, [SHARED_ROWS_ENTRY]: entryDescription, [TENANT_FILE_ENTRY]: entryDescription }),
  /** `plaintext`: secret fields are in the archive unencrypted (--include-secrets). */
  secrets: z.enum(["omitted", "plaintext"]),
  /** Secret fields left out of the archive: they must be entered again after the import. */
  omittedSecrets: z.array(omittedSecret),
  counts: z.object({ users: z.number().int(), apiKeys: z.number().int(), settings: z.number().int() }),
});
export type ArchiveManifest = z.infer<typeof manifestSchema>;

const rawValue = z.union([z.string(), z.number(), z.null()]);
const rawRow = z.record(z.string(), rawValue);
export const registryEntrySchema = rawRow;
export const sharedRowsSchema = z.object({ users: z.array(rawRow), api_keys: z.array(rawRow), settings: z.array(rawRow) });

/** `acme-2026-12-04T2130Z.sigil-tenant.tar.gz`: the slug and the minute it was exported (UTC). */
export function defaultArchiveName(slug: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(":", "");
  return `${slug}-${stamp}Z${ARCHIVE_SUFFIX}`;
}
