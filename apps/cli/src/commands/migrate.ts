import { DEFAULT_MIGRATION_CONCURRENCY, HybridMigrationManager, sealPlainSecrets, type TenantMigrationResult } from "@sigil/db";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { findTenant, openInstallation } from "../installation.ts";
import { wholeNumberOption } from "../options.ts";
import { json, table } from "../output.ts";
import { progress, type Progress } from "../progress.ts";

interface MigrateOptions {
  tenant: string[];
  concurrency: string;
  dryRun?: boolean;
  all?: boolean;
  json?: boolean;
}

/** The ids of `--tenant` slugs (undefined: every tenant); an unknown one stops the run before anything changes. */
async function tenantIds(slugs: string[]): Promise<string[] | undefined> {
  if (slugs.length === 0) return undefined;
  const ids: string[] = [];
  for (const slug of slugs) {
    const tenant = await findTenant(slug, "--tenant");
    if (!tenant) throw usageError(`--tenant: no workspace "${slug}" exists.`);
    ids.push(tenant.id);
  }
  return ids;
}

function pendingVersions(from: number, latest: number): string {
  return from + 1 === latest ? `apply v${latest}` : `apply v${from + 1}…v${latest}`;
}

/** What would be applied, read from the files themselves; nothing is written. */
function dryRun(migrator: HybridMigrationManager, ids: string[] | undefined, options: MigrateOptions, shared: { version: number; latest: number }) {
  const statuses = migrator.status(ids);
  const pending = statuses.filter((status) => status.state !== "up_to_date");
  if (options.json) return { code: 0, text: json({ dryRun: true, shared, tenants: options.all ? statuses : pending }) };
  const lines = [
    `Dry run: nothing is written.`,
    `shared.sqlite: ${shared.version < shared.latest ? `would ${pendingVersions(shared.version, shared.latest)}` : `up to date (v${shared.latest})`}`,
    `Tenants: ${statuses.length - pending.length} up to date, ${pending.filter((s) => s.state === "behind").length} to migrate, ${pending.filter((s) => s.state === "missing" || s.state === "unreadable").length} missing or unreadable.`,
  ];
  const shown = options.all ? statuses : pending;
  if (shown.length > 0) {
    lines.push(
      "",
      table(
        ["SLUG", "SCHEMA", "WOULD", "NOTE"],
        shown.map((status) => [
          status.slug,
          status.version === null ? null : `v${status.version}`,
          status.state === "behind" ? pendingVersions(status.version ?? 0, status.latest) : status.state === "up_to_date" ? "nothing" : "fail",
          status.state === "missing" ? "file missing" : (status.error ?? null),
        ]),
      ),
    );
  }
  return { code: 0, text: lines.join("\n") };
}

function resultRow(result: TenantMigrationResult) {
  const outcome = result.status === "applied" ? `v${result.fromVersion} → v${result.toVersion}` : result.status === "failed" ? "FAILED" : "up to date";
  return [result.slug, outcome, Number(result.durationMs.toFixed(1)), result.error ?? null];
}

async function migrate(options: MigrateOptions): Promise<{ code: number; text: string }> {
  const concurrency = wholeNumberOption("--concurrency", options.concurrency, { min: 1, max: 64 });
  const manager = openInstallation();
  const migrator = new HybridMigrationManager(manager);
  const ids = await tenantIds(options.tenant);
  if (options.dryRun) return dryRun(migrator, ids, options, manager.sharedSchemaStatus());
  const shared = migrator.runSharedMigrations();
  // Secrets saved before encryption at rest are sealed once, as `pnpm db:migrate` does.
  const sealed = sealPlainSecrets(manager);
  // The runner counts the tenants it migrates: the bar starts with its first report.
  let bar: Progress | undefined;
  const report = await migrator.runTenantMigrations({
    concurrency,
    ...(ids ? { tenantIds: ids } : {}),
    onProgress: ({ done, total, failed }) => {
      if (options.json) return;
      bar ??= progress(total, "tenants migrated");
      bar.update(done, failed);
    },
  });
  bar?.finish();
  const code = report.failed > 0 ? 1 : 0;
  const shown = options.all ? report.results : report.results.filter((result) => result.status !== "up_to_date");
  if (options.json) return { code, text: json({ shared, sealedSecrets: sealed, ...report, results: shown }) };
  const lines = [
    `shared.sqlite: ${shared.applied > 0 ? `applied ${shared.applied}, now at v${shared.toVersion}` : `up to date (v${shared.toVersion})`}`,
    ...(sealed > 0 ? [`Secrets: encrypted ${sealed} setting(s) stored in plain text.`] : []),
    `Tenants: ${report.total} (applied ${report.applied}, up to date ${report.upToDate}, failed ${report.failed}) in ${(report.durationMs / 1000).toFixed(2)} s, latest schema v${report.latestVersion}.`,
  ];
  if (shown.length > 0) lines.push("", table(["SLUG", "RESULT", "MS", "ERROR"], shown.map(resultRow)));
  if (report.failed > 0) lines.push("", "Failed tenants are unchanged (each is all or nothing); fix the cause and run again: up-to-date tenants are skipped.");
  return { code, text: lines.join("\n") };
}

export function registerMigrateCommand(program: Command, output: Output): void {
  program
    .command("migrate")
    .description("migrate shared.sqlite, then every tenant file (or --tenant) in parallel; each tenant is all or nothing")
    .option("--tenant <slug>", "only this tenant (repeatable)", (slug: string, slugs: string[]) => [...slugs, slug], [])
    .option("--concurrency <n>", "worker threads migrating in parallel", String(DEFAULT_MIGRATION_CONCURRENCY))
    .option("--dry-run", "report what would be applied, from the files themselves; write nothing")
    .option("--all", "list every tenant in the result, also those up to date")
    .option("--json", "print JSON (no progress bar)")
    .action(async (options: MigrateOptions) => {
      const { code, text } = await migrate(options);
      output.print(text);
      if (code !== 0) output.setExitCode(1);
    });
}
