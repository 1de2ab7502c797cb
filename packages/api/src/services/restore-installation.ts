import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { assertFileFeatureAvailable, flushToDisk, HybridDatabaseManager, processesHoldingFile, sharedDatabasePath, tenantDatabasePath } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { readSet, verifyCopy } from "./restore.ts";

export interface InstallationRestoreReport {
  setPath: string;
  files: number;
}

/**
 * Restores the whole installation (`sigil restore --all`): shared.sqlite and every tenant file of
 * a set taken with `--all`. Refused while any other process holds shared.sqlite open (a running
 * `pnpm start` always does: /proc tells, @sigil/db file-holders.ts), because the files are
 * replaced by renaming, which only nobody-has-it-open makes safe. Every copy is verified before
 * the first file is replaced. Tenant files on disk that the set does not list are left alone
 * (`sigil doctor` then reports them as files without a tenant).
 */
export async function restoreInstallation(from: string): Promise<InstallationRestoreReport> {
  const manager = HybridDatabaseManager.getInstance();
  assertFileFeatureAvailable("backups", manager);
  const dataDir = manager.options.dataDir;
  const { setPath, manifest } = readSet(from);
  if (manifest.scope !== "all" || !manifest.files.some((file) => file.kind === "shared")) {
    throw new TRPCError({ code: "PRECONDITION_FAILED", message: `${setPath} is not a backup of the whole installation (take one with sigil backup --all).` });
  }
  if (manifest.failures.length > 0) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `${setPath} is incomplete (${manifest.failures.length} file(s) failed when it was taken); choose a complete set.`,
    });
  }
  const holders = processesHoldingFile(sharedDatabasePath(dataDir));
  if (holders.length > 0) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: `The installation in ${dataDir} is in use by process ${holders.join(", ")} (the server or the worker). Stop it first (Ctrl-C on pnpm start); to restore one workspace while it runs, use --tenant.`,
    });
  }
  for (const entry of manifest.files) {
    const migrations = entry.kind === "shared" ? manager.sharedMigrations() : manager.tenantMigrations();
    await verifyCopy(join(setPath, entry.file), entry, migrations, `The copy ${entry.file} in ${setPath}`);
  }
  // Nothing of ours may stay open on the files about to be replaced.
  HybridDatabaseManager.closeInstance();
  // Tenants first, shared.sqlite (which registers them) last.
  const ordered = [...manifest.files].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "shared" ? 1 : -1));
  for (const entry of ordered) {
    const destination = entry.kind === "shared" ? sharedDatabasePath(dataDir) : tenantDatabasePath(dataDir, entry.tenantId ?? "");
    const staged = `${destination}.restore-${process.pid}`;
    copyFileSync(join(setPath, entry.file), staged);
    flushToDisk(staged);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(`${destination}${suffix}`)) rmSync(`${destination}${suffix}`);
    renameSync(staged, destination);
  }
  flushToDisk(dataDir);
  return { setPath, files: manifest.files.length };
}
