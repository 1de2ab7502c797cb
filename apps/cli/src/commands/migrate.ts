import { enterMaintenance, restoreMaintenanceState } from "@sigil/api";
import {
  DEFAULT_MIGRATION_CONCURRENCY,
  HybridMigrationManager,
  sealPlainSecrets,
  tenantMaintenanceOf,
  tenantModel,
  type TenantMaintenanceState,
  type TenantMigrationResult,
} from "@sigil/db";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { findTenant, openInstallation } from "../installation.ts";
import { operator } from "../operator.ts";
import { repeatable, wholeNumberOption } from "../options.ts";
import { json, table } from "../output.ts";
import { progress, type Progress } from "../progress.ts";

interface MigrateOptions {
  tenant: string[];
  concurrency: string;
  dryRun?: boolean;
  all?: boolean;
  json?: boolean;
  maintenance?: boolean;
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
async function dryRun(migrator: HybridMigrationManager, ids: string[] | undefined, options: MigrateOptions, shared: { version: number; latest: number }) {
  const statuses = await migrator.status(ids);
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

/**
 * `--maintenance`: each tenant with migrations to apply is put into maintenance before the run
 * (its writes answer 503 naming the migration, instead of waiting on the migration's lock and
 * timing out), and its previous state comes back as soon as its own result is in, whatever it is.
 */
// The tenant's own log would open (and so migrate) its file here, in this thread, one by one.
const ADMIN_LOG_ONLY = { tenantLog: false };

class MigrationMaintenance {
  private readonly previous = new Map<string, TenantMaintenanceState | null>();

  async enter(migrator: HybridMigrationManager, ids: string[] | undefined): Promise<void> {
    for (const status of await migrator.status(ids)) {
      if (status.state !== "behind") continue;
      const tenant = await tenantModel.findById(status.tenantId);
      if (!tenant) continue;
      this.previous.set(tenant.id, tenantMaintenanceOf(tenant));
      await enterMaintenance(operator(), tenant.id, { reason: `schema migration to v${status.latest}`, until: null }, ADMIN_LOG_ONLY);
    }
  }

  async leave(tenantId: string): Promise<void> {
    if (!this.previous.has(tenantId)) return;
    const previous = this.previous.get(tenantId) ?? null;
    this.previous.delete(tenantId);
    await restoreMaintenanceState(operator(), tenantId, previous, ADMIN_LOG_ONLY);
  }

  /** Whatever the run did not report (it threw): back as it was. */
  async leaveAll(): Promise<void> {
    for (const tenantId of [...this.previous.keys()]) await this.leave(tenantId);
  }

  get count(): number {
    return this.previous.size;
  }
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
  if (options.dryRun) return dryRun(migrator, ids, options, await manager.sharedSchemaStatus());
  const shared = await migrator.runSharedMigrations();
  // Secrets saved before encryption at rest are sealed once, as `pnpm db:migrate` does.
  const sealed = await sealPlainSecrets(manager);
  const maintenance = options.maintenance ? new MigrationMaintenance() : undefined;
  await maintenance?.enter(migrator, ids);
  const held = maintenance?.count ?? 0;
  const leaving: Promise<void>[] = [];
  // The runner counts the tenants it migrates: the bar starts with its first report.
  let bar: Progress | undefined;
  let report: Awaited<ReturnType<HybridMigrationManager["runTenantMigrations"]>>;
  try {
    report = await migrator.runTenantMigrations({
      concurrency,
      ...(ids ? { tenantIds: ids } : {}),
      onProgress: ({ done, total, failed, result }) => {
        if (maintenance) leaving.push(maintenance.leave(result.tenantId));
        if (options.json) return;
        bar ??= progress(total, "tenants migrated");
        bar.update(done, failed);
      },
    });
  } finally {
    bar?.finish();
    await Promise.all(leaving);
    await maintenance?.leaveAll();
  }
  const code = report.failed > 0 ? 1 : 0;
  const shown = options.all ? report.results : report.results.filter((result) => result.status !== "up_to_date");
  if (options.json) return { code, text: json({ shared, sealedSecrets: sealed, ...(maintenance ? { maintenance: held } : {}), ...report, results: shown }) };
  const lines = [
    `shared.sqlite: ${shared.applied > 0 ? `applied ${shared.applied}, now at v${shared.toVersion}` : `up to date (v${shared.toVersion})`}`,
    ...(sealed > 0 ? [`Secrets: encrypted ${sealed} setting(s) stored in plain text.`] : []),
    ...(maintenance ? [`Maintenance: ${held} tenant(s) refused writes during their own migration, then got their previous state back.`] : []),
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
    .option("--tenant <slug>", "only this tenant (repeatable)", repeatable, [])
    .option("--concurrency <n>", "worker threads migrating in parallel", String(DEFAULT_MIGRATION_CONCURRENCY))
    .option("--dry-run", "report what would be applied, from the files themselves; write nothing")
    .option("--all", "list every tenant in the result, also those up to date")
    .option(
      "--maintenance",
      "put each tenant to migrate into maintenance (writes answer 503) until its own migration is done; for long runs beside a running server",
    )
    .option("--json", "print JSON (no progress bar)")
    .action(async (options: MigrateOptions) => {
      const { code, text } = await migrate(options);
      output.print(text);
      if (code !== 0) output.setExitCode(1);
    });
}
