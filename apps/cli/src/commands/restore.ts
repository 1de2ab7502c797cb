import { resolve } from "node:path";
import { restoreTenant } from "@sigil/api";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { requireTenant } from "../installation.ts";
import { operator } from "../operator.ts";
import { bytes, json } from "../output.ts";

interface RestoreOptions {
  tenant: string;
  from: string;
  json?: boolean;
}

async function restore(options: RestoreOptions): Promise<string> {
  const tenant = await requireTenant(options.tenant, "--tenant");
  const from = resolve(process.env.INIT_CWD ?? process.cwd(), options.from);
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
    .requiredOption("--tenant <slug>", "the workspace to restore")
    .requiredOption("--from <set>", "the backup set's folder, or its manifest.json")
    .option("--json", "print the result as JSON")
    .action(async (options: RestoreOptions) => output.print(await restore(options)));
}
