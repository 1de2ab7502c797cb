import { existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MigrationFile } from "../migrations/migration-files.ts";
import { copyLiveDatabase, flushToDisk } from "./sqlite-copy.ts";
import { BACKUP_FORMAT_VERSION, listBackupSets, MANIFEST_FILE, readBackupSet, type BackupManifest, type ManifestFile, type SourceStamp } from "./manifest.ts";

/**
 * A backup set: one folder holding consistent copies of shared.sqlite and tenant files and a
 * `manifest.json` describing each (manifest.ts). Written under a hidden temporary name and renamed
 * once its manifest is on disk, so a set that exists is complete.
 *
 * Incremental: a file unchanged since the previous set in the same folder is hard-linked from it
 * instead of stored again. "Unchanged" is decided in two ways, both exact:
 * - before copying, by the source's stamp: inode, size and mtime of the file and of its `-wal`
 *   equal to those the previous set recorded, and that stamp was read at least QUIET_MS after
 *   the last modification it saw. Every commit writes the `-wal` (and a checkpoint the file), so
 *   its mtime moves; the quiet period makes a write in the same clock tick as the stamp's read,
 *   which could leave the mtime as it was, impossible to miss. Then nothing is copied at all.
 * - after copying, by content: a copy whose SHA-256 equals the previous set's is replaced by a
 *   link to that one (a file touched by a checkpoint but holding the same data).
 * The control plane's `tenant_stats.revision` was not used: it moves with some writes only.
 */
const QUIET_MS = 2_000;

export interface BackupSource {
  kind: "shared" | "tenant";
  tenantId: string | null;
  slug: string | null;
  /** The live file. */
  path: string;
  /** Its name in the set. */
  file: string;
  migrations: readonly MigrationFile[];
}

export interface BackupProgress {
  /** Files handled so far (this one included) and in all. */
  done: number;
  total: number;
  source: BackupSource;
  outcome: "copied" | "reused" | "failed";
  error?: string;
}

export interface TakeBackupOptions {
  outDir: string;
  scope: BackupManifest["scope"];
  sources: BackupSource[];
  sigil: BackupManifest["sigil"];
  onProgress?: (progress: BackupProgress) => void;
  now?: Date;
}

export interface BackupSetResult {
  setPath: string;
  manifest: BackupManifest;
}

function setName(now: Date): string {
  return `sigil-backup-${now.toISOString().replace(/[-:.]/g, "")}`;
}

function stampOf(path: string): SourceStamp {
  const file = statSync(path);
  const wal = existsSync(`${path}-wal`) ? statSync(`${path}-wal`) : null;
  return {
    ino: file.ino,
    size: file.size,
    mtimeMs: file.mtimeMs,
    walIno: wal?.ino ?? null,
    walSize: wal?.size ?? 0,
    walMtimeMs: wal?.mtimeMs ?? 0,
    readAt: Date.now(),
  };
}

function unchangedSince(previous: SourceStamp, now: SourceStamp): boolean {
  const quiet = previous.readAt - Math.max(previous.mtimeMs, previous.walMtimeMs) >= QUIET_MS;
  return (
    quiet &&
    previous.ino === now.ino &&
    previous.size === now.size &&
    previous.mtimeMs === now.mtimeMs &&
    previous.walIno === now.walIno &&
    previous.walSize === now.walSize &&
    previous.walMtimeMs === now.walMtimeMs
  );
}

/** The previous set's entries by file name (none when there is no previous set or it is unreadable). */
function previousEntries(outDir: string): { setPath: string; files: Map<string, ManifestFile> } | null {
  const last = listBackupSets(outDir).at(-1);
  if (!last) return null;
  try {
    const { manifest } = readBackupSet(last);
    return { setPath: last, files: new Map(manifest.files.map((entry) => [entry.file, entry])) };
  } catch {
    return null;
  }
}

async function backUpOne(source: BackupSource, setDir: string, previous: ReturnType<typeof previousEntries>): Promise<ManifestFile> {
  const destination = join(setDir, source.file);
  const stamp = stampOf(source.path);
  const before = previous?.files.get(source.file);
  const previousCopy = previous && before ? join(previous.setPath, before.file) : null;
  const base = { kind: source.kind, file: source.file, tenantId: source.tenantId, slug: source.slug };
  if (before && previousCopy && existsSync(previousCopy) && unchangedSince(before.source, stamp)) {
    linkSync(previousCopy, destination);
    return { ...before, ...base, reusedFrom: previous?.setPath ?? null };
  }
  const takenAt = new Date().toISOString();
  const copy = await copyLiveDatabase(source.path, destination, { migrations: source.migrations });
  if (before && previousCopy && before.sha256 === copy.sha256 && existsSync(previousCopy)) {
    rmSync(destination);
    linkSync(previousCopy, destination);
    return {
      ...base,
      bytes: copy.bytes,
      sha256: copy.sha256,
      schemaVersion: copy.schemaVersion,
      takenAt,
      reusedFrom: previous?.setPath ?? null,
      source: stamp,
    };
  }
  return { ...base, bytes: copy.bytes, sha256: copy.sha256, schemaVersion: copy.schemaVersion, takenAt, reusedFrom: null, source: stamp };
}

/**
 * Takes one backup set of `sources` into a new folder of `outDir`. A file that cannot be copied
 * is listed under `failures` (the others are still taken); the set is written whatever failed.
 */
export async function takeBackupSet(options: TakeBackupOptions): Promise<BackupSetResult> {
  mkdirSync(options.outDir, { recursive: true });
  const now = options.now ?? new Date();
  const name = setName(now);
  const finalPath = join(options.outDir, name);
  if (existsSync(finalPath)) throw new Error(`The backup set ${finalPath} already exists.`);
  const partial = join(options.outDir, `.${name}.partial`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  const previous = previousEntries(options.outDir);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT_VERSION,
    createdAt: now.toISOString(),
    sigil: options.sigil,
    scope: options.scope,
    files: [],
    failures: [],
  };
  try {
    for (const [index, source] of options.sources.entries()) {
      const progress = { done: index + 1, total: options.sources.length, source };
      try {
        const entry = await backUpOne(source, partial, previous);
        manifest.files.push(entry);
        options.onProgress?.({ ...progress, outcome: entry.reusedFrom === null ? "copied" : "reused" });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        manifest.failures.push({ tenantId: source.tenantId, slug: source.slug, error: message });
        options.onProgress?.({ ...progress, outcome: "failed", error: message });
      }
    }
    writeFileSync(join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    flushToDisk(join(partial, MANIFEST_FILE));
    flushToDisk(partial);
    renameSync(partial, finalPath);
    flushToDisk(options.outDir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  return { setPath: finalPath, manifest };
}
