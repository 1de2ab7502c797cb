import { restoreInstallation, restoreTenant } from "@sigil/api";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { openInstallation, requireTenant, typedPath } from "../installation.ts";
import { operator } from "../operator.ts";
import { bytes, json } from "../output.ts";

interface RestoreOptions {
  tenant?: string;
  all?: boolean;
  from: string;
  json?: boolean;
}

async function restoreAll(from: string, options: RestoreOptions): Promise<string> {
  openInstallation();
  const report = await restoreInstallation(from);
  if (options.json) return json(report);
  return `Restored the whole installation from ${report.setPath} (${report.files} files). Start the server again (pnpm start).`;
}

async function restore(options: RestoreOptions): Promise<string> {
  const from = typedPath(options.from);
  if (options.all && options.tenant !== undefined) throw usageError("Give either --all or --tenant, not both.");
  if (options.all) return restoreAll(from, options);
  if (options.tenant === undefined)
    throw usageError("Say what to restore: --tenant <slug> (while the server runs) or --all (the whole installation, server stopped).");
  const tenant = await requireTenant(options.tenant, "--tenant");
  process.stderr.write(`Verifying the copy of "${tenant.slug}" in ${from}, then restoring it (the workspace is in maintenance meanwhile)…\n`);
  const report = await restoreTenant(operator(), tenant, from);
  if (options.json) return json(report);
  const migrated = report.migratedTo === null ? "" : `, then migrated to v${report.migratedTo}`;
  return `Restored workspace "${report.slug}" from ${report.setPath} (${bytes(report.bytes)}, schema v${report.schemaVersion}${migrated}, sha256 ${report.sha256.slice(0, 12)}…). Its usage on the dashboard was recomputed from the restored file.`;
}

/** `sigil restore --tenant <slug> --from <set>`: one workspace back to the state of a backup set (services/restore.ts). */
export function registerRestoreCommand(program: Command, output: Output): void {
  program
    .command("restore")
    .description("restore one workspace from a backup set: verified first (checksum, integrity_check, schema), written in while the server runs")
    .option("--tenant <slug>", "the workspace to restore (the server may run)")
    .option("--all", "the whole installation from a set taken with backup --all; refused while the server runs")
    .requiredOption("--from <set>", "the backup set's folder, or its manifest.json")
    .option("--json", "print the result as JSON")
    .action(async (options: RestoreOptions) => output.print(await restore(options)));
}
