import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";

/** The manifest's format; a reader refuses a set written in a format it does not know. */
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
/** `sigil-backup-20261204T203000123Z`: sortable by name, one per run. */
export const BACKUP_SET_PATTERN = /^sigil-backup-\d{8}T\d{9}Z$/;

/** What the backup knew of the source file when it was taken, to tell "unchanged" next time (backup-set.ts). */
const sourceStamp = z.object({
  ino: z.number(),
  size: z.number(),
  mtimeMs: z.number(),
  walIno: z.number().nullable(),
  walSize: z.number(),
  walMtimeMs: z.number(),
  /** When the stamp was read (epoch ms). */
  readAt: z.number(),
});
export type SourceStamp = z.infer<typeof sourceStamp>;

const manifestFile = z.object({
  kind: z.enum(["shared", "tenant"]),
  /** The file's name inside the set (the same as in DATA_DIR). */
  file: z.string(),
  tenantId: z.string().nullable(),
  slug: z.string().nullable(),
  bytes: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  schemaVersion: z.number(),
  takenAt: z.string(),
  /** Hard-linked from the previous set, whose copy of this file was the same. */
  reusedFrom: z.string().nullable(),
  source: sourceStamp,
});
export type ManifestFile = z.infer<typeof manifestFile>;

export const backupManifest = z.object({
  format: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.string(),
  /** The code's schema versions (migrations known) when the set was taken. */
  sigil: z.object({ sharedSchemaVersion: z.number(), tenantSchemaVersion: z.number() }),
  /** Whole installation (`all`) or some tenants. */
  scope: z.enum(["all", "tenants"]),
  files: z.array(manifestFile),
  failures: z.array(z.object({ tenantId: z.string().nullable(), slug: z.string().nullable(), error: z.string() })),
});
export type BackupManifest = z.infer<typeof backupManifest>;

export class BackupSetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BackupSetError";
  }
}

/** A backup set named by its folder or by its manifest.json. */
export function readBackupSet(path: string): { setPath: string; manifest: BackupManifest } {
  const manifestPath = basename(path) === MANIFEST_FILE ? path : join(path, MANIFEST_FILE);
  if (!existsSync(manifestPath)) throw new BackupSetError(`${path} is not a Sigil backup set: it has no ${MANIFEST_FILE}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (error) {
    throw new BackupSetError(`${manifestPath} is not valid JSON; the backup set is damaged.`, { cause: error });
  }
  const parsed = backupManifest.safeParse(raw);
  if (!parsed.success) {
    throw new BackupSetError(
      `${manifestPath} is not a manifest this version of Sigil can read (format ${BACKUP_FORMAT_VERSION}): ${parsed.error.issues[0]?.message ?? "invalid"}.`,
    );
  }
  return { setPath: dirname(manifestPath), manifest: parsed.data };
}

/** The backup sets in `outDir` (complete ones only: a set's folder gets its name once its manifest is written), oldest first. */
export function listBackupSets(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  return readdirSync(outDir)
    .filter((name) => BACKUP_SET_PATTERN.test(name) && existsSync(join(outDir, name, MANIFEST_FILE)))
    .sort()
    .map((name) => join(outDir, name));
}
