import { HypersigilImportInputError, importHypersigil, ON_ERROR_CHOICES, type HypersigilImportReport } from "@sigil/api";
import { HYPERSIGIL_DEFAULT_ENCRYPTION_KEY, HypersigilSourceError } from "@sigil/db";
import { Option, type Command } from "commander";
import { CliError, usageError } from "../errors.ts";
import { findTenant, typedPath } from "../installation.ts";
import { choiceOption } from "../options.ts";
import { operator } from "../operator.ts";
import { bytes, json, table } from "../output.ts";
import type { Output } from "../program.ts";
import { progress, type Progress } from "../progress.ts";

interface ImportOptions {
  tenant: string;
  dryRun?: boolean;
  onError: string;
  hypersigilEncryptionKey: string;
  json?: boolean;
}

/** Notes beyond this many are counted, not listed (`--json` lists them all). */
const NOTES_SHOWN = 15;

async function run(path: string, options: ImportOptions, output: Output): Promise<void> {
  const onError = choiceOption("--on-error", ON_ERROR_CHOICES, options.onError) ?? "skip";
  const tenant = await findTenant(options.tenant, "--tenant");
  if (!tenant) {
    throw new CliError(
      `No workspace "${options.tenant}" exists. Create it first (pnpm sigil tenants create ${options.tenant} --name … --owner-email …), then import into it.`,
    );
  }
  let bar: Progress | undefined;
  let report: HypersigilImportReport;
  try {
    report = await importHypersigil(operator(), tenant, {
      path: typedPath(path),
      dryRun: options.dryRun === true,
      onError,
      encryptionKey: options.hypersigilEncryptionKey,
      onProgress: (done, total) => {
        bar ??= progress(total, options.dryRun ? "rows checked" : "rows written");
        bar.update(done, 0);
      },
    });
  } catch (error) {
    if (error instanceof HypersigilImportInputError) throw usageError(`--hypersigil-encryption-key: ${error.message}`);
    if (error instanceof HypersigilSourceError) throw new CliError(error.message);
    throw error;
  } finally {
    bar?.finish();
  }
  output.print(options.json ? json(report) : describe(report));
  if (report.outcome === "aborted" || report.failures.length > 0) output.setExitCode(1);
}

function describe(report: HypersigilImportReport): string {
  const lines = [
    `${report.dryRun ? "Dry run (nothing written): import" : "Import"} of ${report.source} into "${report.tenant.slug}" (plan ${report.tenant.plan}), --on-error ${report.onError}`,
    `hypersigil migrations applied in the source: ${report.hypersigilMigrations.join(", ") || "none"}`,
    "",
    table(
      ["TABLE", "READ", report.dryRun ? "TO IMPORT" : "IMPORTED", "SKIPPED", "FAILED"],
      Object.entries(report.tables).map(([name, counts]) => [name, counts.read, counts.imported, counts.skipped, counts.failed]),
    ),
  ];
  if (report.unknownTables.length > 0) {
    lines.push("", `Tables Sigil has no model for (not imported): ${report.unknownTables.map((entry) => `${entry.table} ${entry.rows}`).join(", ")}`);
  }
  if (report.failures.length > 0) {
    lines.push("", `Rows that cannot be imported (${report.failures.length}):`);
    for (const failure of report.failures) lines.push(`  ${failure.table} ${failure.id} (${failure.kind}): ${failure.reason}`);
  }
  if (report.notes.length > 0) {
    lines.push("", `Notes (${report.notes.length}):`);
    for (const note of report.notes.slice(0, NOTES_SHOWN)) lines.push(`  ${note.table} ${note.id}: ${note.note}`);
    if (report.notes.length > NOTES_SHOWN) lines.push(`  … and ${report.notes.length - NOTES_SHOWN} more (--json lists them all)`);
  }
  if (report.quotaOverruns.length > 0) {
    lines.push("", "Over the plan's limits after the import (new writes of these will be refused until the plan is raised):");
    for (const overrun of report.quotaOverruns) {
      const amount = (value: number) => (overrun.resource === "storage" ? bytes(value) : String(value));
      lines.push(`  ${overrun.resource}: ${amount(overrun.afterImport)} ${overrun.unit}, the plan allows ${amount(overrun.limit)}`);
    }
  }
  if (report.secretsToReenter.length > 0) {
    lines.push("", "Provider keys to enter again in the workspace's settings (saved without a key):");
    for (const secret of report.secretsToReenter) lines.push(`  ${secret.setting}: ${secret.reason}`);
  }
  if (report.revokedApiKeys.length > 0) {
    lines.push("", "API keys imported as revoked (issue new ones):");
    for (const key of report.revokedApiKeys) lines.push(`  ${key.name}: ${key.reason}`);
  }
  lines.push("", outcomeLine(report));
  return lines.join("\n");
}

function outcomeLine(report: HypersigilImportReport): string {
  switch (report.outcome) {
    case "dry-run":
      return `Dry run: nothing was written.${report.failures.length > 0 ? ` ${report.failures.length} row(s) would fail.` : ""}`;
    case "aborted":
      return `Aborted: ${report.abortReason ?? "nothing was written."}`;
    case "partial":
      return `Imported, except ${report.failures.length} row(s) that failed (listed above).`;
    case "imported":
      return "Imported.";
  }
}

export function registerImportHypersigilCommand(program: Command, output: Output): void {
  program
    .command("import-hypersigil")
    .description("import a hypersigil database (read-only) into an existing workspace; a rerun imports only what is missing")
    .argument("<database>", "hypersigil's database.sqlite")
    .requiredOption("--tenant <slug>", "the workspace to import into (create it first with `tenants create`)")
    .option("--dry-run", "print the whole report and write nothing")
    .option("--on-error <mode>", `what a row that cannot be imported does: ${ON_ERROR_CHOICES.join(", ")} (abort: write nothing at all)`, "skip")
    .addOption(
      // Also from the environment, so the key need not appear in the process list or the shell's history.
      new Option(
        "--hypersigil-encryption-key <base64>",
        "hypersigil's ENCRYPTION_KEY, to decrypt its provider keys (default: hypersigil's built-in default key)",
      )
        .env("HYPERSIGIL_ENCRYPTION_KEY")
        .default(HYPERSIGIL_DEFAULT_ENCRYPTION_KEY, "hypersigil's default"),
    )
    .option("--json", "print the report as JSON")
    .action(async (path: string, options: ImportOptions) => run(path, options, output));
}
