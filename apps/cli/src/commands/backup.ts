import { defaultBackupDir, readBackupSettings, runBackup, type BackupReport } from "@sigil/api";
import { InvalidSettingError, type TenantRow } from "@sigil/db";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { openInstallation, requireTenant, typedPath } from "../installation.ts";
import { repeatable } from "../options.ts";
import { bytes, json, table } from "../output.ts";
import { progress, type Progress } from "../progress.ts";

interface BackupOptions {
  tenant: string[];
  all?: boolean;
  out?: string;
  json?: boolean;
}

/** --out (relative to where the command was typed), else BACKUP_DIR, else `backups` beside DATA_DIR. */
function outDir(options: BackupOptions, dataDir: string): string {
  if (options.out !== undefined) return typedPath(options.out);
  try {
    return readBackupSettings(process.env).dir ?? defaultBackupDir(dataDir);
  } catch (error) {
    if (error instanceof InvalidSettingError) throw usageError(error.message);
    throw error;
  }
}

function summary(report: BackupReport): string {
  const { manifest } = report;
  const rows = manifest.files.map((file) => [
    file.slug ?? "(shared.sqlite)",
    file.reusedFrom === null ? "copied" : "unchanged, linked",
    bytes(file.bytes),
    `v${file.schemaVersion}`,
    file.sha256.slice(0, 12),
  ]);
  const failed = manifest.failures.map((failure) => [failure.slug ?? "(shared.sqlite)", "FAILED", null, null, failure.error]);
  const lines = [`Backup set ${report.setPath}`, "", table(["FILE", "RESULT", "SIZE", "SCHEMA", "SHA-256 / ERROR"], [...rows, ...failed])];
  if (report.onPostgres.length > 0)
    lines.push("", `Not in the set, their tables live in PostgreSQL (TENANT_POSTGRES_URL; back them up with pg_dump): ${report.onPostgres.join(", ")}.`);
  if (report.pruned.length > 0) lines.push("", `Removed ${report.pruned.length} older set(s) beyond the retention.`);
  if (manifest.failures.length > 0) lines.push("", `${manifest.failures.length} file(s) could not be backed up; the others are in the set.`);
  return lines.join("\n");
}

async function backup(options: BackupOptions): Promise<{ code: number; text: string }> {
  if (options.all && options.tenant.length > 0) throw usageError("Give either --all or --tenant, not both.");
  if (!options.all && options.tenant.length === 0)
    throw usageError("Say what to back up: --all (every tenant and shared.sqlite) or --tenant <slug> (repeatable).");
  const manager = openInstallation();
  const out = outDir(options, manager.options.dataDir);
  const tenants: "all" | TenantRow[] = options.all ? "all" : await Promise.all(options.tenant.map((slug) => requireTenant(slug, "--tenant")));
  let bar: Progress | undefined;
  let failed = 0;
  const report = await runBackup({
    outDir: out,
    tenants,
    onProgress: ({ done, total, outcome }) => {
      if (options.json) return;
      if (outcome === "failed") failed += 1;
      bar ??= progress(total, "files backed up");
      bar.update(done, failed);
    },
  });
  bar?.finish();
  const code = report.manifest.failures.length > 0 ? 1 : 0;
  return { code, text: options.json ? json(report) : summary(report) };
}

/** `sigil backup --all | --tenant <slug>… [--out dir]`: one consistent, verified, incremental backup set. */
export function registerBackupCommand(program: Command, output: Output): void {
  program
    .command("backup")
    .description(
      "a backup set (shared.sqlite and tenant files, consistent while the server writes, with manifest.json); unchanged files are linked, not copied again",
    )
    .option("--tenant <slug>", "only this tenant (repeatable)", repeatable, [])
    .option("--all", "every tenant and shared.sqlite")
    .option("--out <dir>", "the folder that holds the backup sets (default: BACKUP_DIR, else backups/ beside DATA_DIR)")
    .option("--json", "print the manifest as JSON (no progress bar)")
    .action(async (options: BackupOptions) => {
      const { code, text } = await backup(options);
      output.print(text);
      if (code !== 0) output.setExitCode(1);
    });
}
