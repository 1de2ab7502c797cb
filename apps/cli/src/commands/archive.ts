import { exportTenant, importTenant, apiConfig } from "@sigil/api";
import { defaultArchiveName, type ExportResult, type ImportResult } from "@sigil/db";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { sigilBuild } from "../build-info.ts";
import { findTenant, openInstallation, requireTenant, typedPath } from "../installation.ts";
import { usageError } from "../errors.ts";
import { operator } from "../operator.ts";
import { bytes, json } from "../output.ts";
import { progress, type Progress } from "../progress.ts";

interface ExportOptions {
  tenant: string;
  out?: string;
  includeSecrets?: boolean;
  json?: boolean;
}

async function exportCommand(options: ExportOptions): Promise<string> {
  const tenant = await requireTenant(options.tenant, "--tenant");
  const destination = typedPath(options.out ?? defaultArchiveName(tenant.slug, new Date()));
  let bar: Progress | undefined;
  let pages = 0;
  const result = await exportTenant(operator(), tenant, destination, {
    includeSecrets: options.includeSecrets === true,
    sigil: sigilBuild(),
    onProgress: (done, total) => {
      pages = total;
      bar ??= progress(total, "pages of the tenant file copied");
      bar.update(done, 0);
    },
  });
  // The copy's last step reports before it runs: the file is complete once the export returns.
  bar?.update(pages, 0);
  bar?.finish();
  return options.json ? json(result) : describeExport(result);
}

function describeExport(result: ExportResult): string {
  const { manifest } = result;
  const lines = [
    `Exported workspace "${manifest.source.slug}" to ${result.file} (${bytes(result.bytes)}, sha256 ${result.sha256}).`,
    `  ${manifest.counts.users} users, ${manifest.counts.apiKeys} API keys, ${manifest.counts.settings} settings; tenant file ${bytes(manifest.entries["tenant.sqlite"].bytes)} at schema v${manifest.schema.tenant}.`,
  ];
  if (manifest.secrets === "plaintext")
    lines.push("  Secrets are in the archive in PLAIN TEXT (--include-secrets): keep the file as safe as the keys themselves.");
  else if (manifest.omittedSecrets.length > 0) {
    const which = manifest.omittedSecrets.map((secret) => `${secret.type} ${secret.identifier} (${secret.field})`).join(", ");
    lines.push(
      `  Not in the archive: ${manifest.omittedSecrets.length} secret(s), to enter again after the import: ${which}. (--include-secrets carries them in plain text.)`,
    );
  }
  return lines.join("\n");
}

interface ImportOptions {
  slug?: string;
  name?: string;
  json?: boolean;
}

async function importCommand(archive: string, options: ImportOptions): Promise<string> {
  if (options.slug !== undefined && (await findTenant(options.slug, "--slug"))) {
    throw usageError(`--slug: a workspace "${options.slug}" already exists here; choose another slug.`);
  }
  openInstallation();
  // One synchronous step (verify, then provision): the bar says when it is done.
  const steps = progress(1, "archive verified and imported");
  const result = await importTenant(operator(), apiConfig(), typedPath(archive), {
    ...(options.slug === undefined ? {} : { slug: options.slug }),
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  steps.update(1, 0);
  steps.finish();
  return options.json ? json(result) : describeImport(result);
}

function describeImport(result: ImportResult): string {
  const { tenant } = result;
  const schema =
    result.tenantSchema.archived < result.tenantSchema.now ? `, migrated from schema v${result.tenantSchema.archived} to v${result.tenantSchema.now}` : "";
  const lines = [
    `Imported workspace "${tenant.slug}" (${tenant.name}, plan ${tenant.plan}, ${tenant.status}) from "${result.source.slug}", exported ${result.source.exportedAt}${schema}.`,
    `  ${result.counts.users} users, ${result.counts.apiKeys} API keys, ${result.counts.settings} settings; tenant id ${tenant.id}${result.keptTenantId ? " (kept)" : " (new: the archive's is used here)"}.`,
    ...result.notes.map((note) => `  Note: ${note}`),
  ];
  return lines.join("\n");
}

export function registerArchiveCommands(sigil: Command, output: Output): void {
  sigil
    .command("export")
    .description("write one workspace to a portable archive (works while the server runs)")
    .requiredOption("--tenant <slug>", "the workspace to export")
    .option("--out <file>", "the archive to write (default: <slug>-<UTC time>.sigil-tenant.tar.gz here); never overwritten")
    .option("--include-secrets", "carry provider and webhook secrets in PLAIN TEXT (default: left out, to enter again)")
    .option("--json", "print JSON")
    .action(async (options: ExportOptions) => output.print(await exportCommand(options)));
  sigil
    .command("import")
    .description("recreate a workspace from an archive on this installation; all or nothing")
    .argument("<archive>", "a file written by sigil export")
    .option("--slug <slug>", "the slug here (default: the archive's)")
    .option("--name <name>", "the display name here (default: the archive's)")
    .option("--json", "print JSON")
    .action(async (archive: string, options: ImportOptions) => output.print(await importCommand(archive, options)));
}
