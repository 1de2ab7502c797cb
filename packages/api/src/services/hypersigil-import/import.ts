import {
  apiKeyModel,
  datasetItemBytes,
  datasetItemModel,
  datasetModel,
  storedBytes,
  deploymentModel,
  executionCommentModel,
  promptCommentModel,
  executionModel,
  fileModel,
  hypersigilKey,
  ImportAbortedError,
  importedSharedRows,
  importedTenantRows,
  promptModel,
  readHypersigilDatabase,
  settingsModel,
  tenantContext,
  userModel,
  utcPeriod,
  type ImportedTable,
  type RowOutcome,
  type TenantRow,
} from "@sigil/db";
import { recordAdminAction, type AdminActor } from "../audit.ts";
import { storageLimitBytes } from "../quotas.ts";
import { MAPPED_TABLES, planImport, type ImportPlan, type MappedTable, type RowNote, type RowProblem } from "./plan.ts";

/**
 * `sigil import-hypersigil`: a hypersigil database (read-only) into an existing workspace. The
 * documents are mapped first (plan.ts) and every problem is known before anything is written.
 * Then the workspace's shared rows (users, API keys, settings: one transaction in shared.sqlite)
 * and its own rows (prompts, files, deployments, executions: one transaction in its file) are
 * written; if the second fails, the first is undone, so the workspace is as it was.
 */

export type OnError = "skip" | "abort";
export const ON_ERROR_CHOICES: readonly OnError[] = ["skip", "abort"];

export interface HypersigilImportOptions {
  path: string;
  dryRun: boolean;
  onError: OnError;
  /** hypersigil's ENCRYPTION_KEY (base64 of 32 bytes). */
  encryptionKey: string;
  /** Rows done of all rows to write (or check, in a dry run). */
  onProgress?: (done: number, total: number) => void;
}

export interface TableCounts {
  read: number;
  imported: number;
  skipped: number;
  failed: number;
}

export interface QuotaOverrun {
  resource: "users" | "storage" | "executions_per_month";
  limit: number;
  /** The usage once the import is done (users: active + invited; storage: bytes; executions: this month, UTC). */
  afterImport: number;
  unit: string;
}

export interface HypersigilImportReport {
  source: string;
  tenant: { id: string; slug: string; plan: string };
  dryRun: boolean;
  onError: OnError;
  /** imported: everything went in; partial: some rows failed and were skipped; aborted: nothing was written. */
  outcome: "imported" | "partial" | "aborted" | "dry-run";
  abortReason: string | null;
  hypersigilMigrations: number[];
  tables: Record<MappedTable, TableCounts>;
  unknownTables: { table: string; rows: number }[];
  /** Rows that could not be imported: corrupt JSON, invalid documents, dangling references, conflicts. */
  failures: RowProblem[];
  /** Rows not imported on purpose, and rows imported with a remark (renamed, already imported…). */
  notes: RowNote[];
  quotaOverruns: QuotaOverrun[];
  secretsToReenter: { setting: string; reason: string }[];
  revokedApiKeys: { id: string; name: string; reason: string }[];
}

/** A wrong argument of the import (an encryption key that is not one). */
export class HypersigilImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HypersigilImportInputError";
  }
}

export async function importHypersigil(actor: AdminActor, tenant: TenantRow, options: HypersigilImportOptions): Promise<HypersigilImportReport> {
  const key = hypersigilKey(options.encryptionKey);
  if (!key) throw new HypersigilImportInputError("The hypersigil encryption key must be 32 bytes in base64, as hypersigil's ENCRYPTION_KEY.");
  const source = readHypersigilDatabase(options.path);
  const plan = planImport(source, { tenantId: tenant.id, encryptionKey: key });
  const report = emptyReport(tenant, options, plan, source.migrations);
  await tenantContext.runWithTenant(tenant.id, async () => {
    report.quotaOverruns = await quotaOverruns(tenant, plan);
    if (options.dryRun) return countDryRun(report, plan, options);
    if (options.onError === "abort" && plan.problems.length > 0) {
      const first = plan.problems[0];
      report.outcome = "aborted";
      report.abortReason = `${plan.problems.length} row(s) cannot be imported (first: ${first?.table} ${first?.id}, ${first?.reason}); nothing was written.`;
      return;
    }
    await write(report, plan, options);
  });
  if (report.outcome !== "aborted" && !options.dryRun) {
    await recordAdminAction(actor, "tenant.hypersigil_imported", tenant, { source: options.path, outcome: report.outcome, tables: report.tables });
  }
  return report;
}

function emptyReport(tenant: TenantRow, options: HypersigilImportOptions, plan: ImportPlan, migrations: { version: number }[]): HypersigilImportReport {
  const tables = Object.fromEntries(MAPPED_TABLES.map((table) => [table, { read: plan.read[table], imported: 0, skipped: 0, failed: 0 }])) as Record<
    MappedTable,
    TableCounts
  >;
  for (const problem of plan.problems) {
    const counts = tables[problem.table as MappedTable];
    if (counts) counts.failed += 1;
  }
  for (const left of plan.leftOut) {
    const counts = tables[left.table as MappedTable];
    if (counts) counts.skipped += 1;
  }
  return {
    source: options.path,
    tenant: { id: tenant.id, slug: tenant.slug, plan: tenant.plan },
    dryRun: options.dryRun,
    onError: options.onError,
    outcome: options.dryRun ? "dry-run" : plan.problems.length > 0 ? "partial" : "imported",
    abortReason: null,
    hypersigilMigrations: migrations.map((migration) => migration.version),
    tables,
    unknownTables: plan.unknownTables,
    failures: [...plan.problems],
    notes: [...plan.leftOut, ...plan.notes],
    quotaOverruns: [],
    secretsToReenter: plan.secretsToReenter,
    revokedApiKeys: plan.revokedApiKeys,
  };
}

const TABLE_OF: Record<ImportedTable, MappedTable> = {
  users: "users",
  api_keys: "api_keys",
  settings: "settings",
  prompts: "prompts",
  files: "files",
  deployments: "deployments",
  executions: "executions",
  comments: "comments",
  promptComments: "comments",
  datasets: "test_data_groups",
  datasetItems: "test_data_items",
};

function rowCount(plan: ImportPlan): number {
  const { shared, tenant } = plan;
  return (
    shared.users.length +
    shared.apiKeys.length +
    shared.settings.length +
    tenant.prompts.length +
    tenant.files.length +
    tenant.deployments.length +
    tenant.executions.length +
    tenant.comments.length +
    tenant.promptComments.length +
    tenant.datasets.length +
    tenant.datasetItems.length
  );
}

function tally(report: HypersigilImportReport, outcomes: readonly RowOutcome[]): void {
  for (const outcome of outcomes) {
    const counts = report.tables[TABLE_OF[outcome.table]];
    counts[outcome.outcome] += 1;
    if (outcome.outcome === "failed") report.failures.push({ table: outcome.table, id: outcome.id, kind: "invalid", reason: outcome.note });
    else if (outcome.note && outcome.note !== "already imported") report.notes.push({ table: outcome.table, id: outcome.id, note: outcome.note });
  }
}

async function write(report: HypersigilImportReport, plan: ImportPlan, options: HypersigilImportOptions): Promise<void> {
  const total = rowCount(plan);
  let done = 0;
  const onRow = () => options.onProgress?.((done += 1), total);
  const shared = await importedSharedRows.write(plan.shared, { onRow });
  // A file's uploader: the user imported, or the workspace user who already had that email.
  const files = plan.tenant.files.map((file) => ({ ...file, uploadedBy: file.uploadedBy === null ? null : (shared.userIds.get(file.uploadedBy) ?? null) }));
  let tenantOutcomes: RowOutcome[];
  try {
    tenantOutcomes = await importedTenantRows.write({ ...plan.tenant, files }, { abortOnFailure: options.onError === "abort", onRow });
  } catch (error) {
    await importedSharedRows.undo(shared.outcomes);
    if (!(error instanceof ImportAbortedError)) throw error;
    report.outcome = "aborted";
    report.abortReason = `${error.message}; nothing was written.`;
    return;
  }
  tally(report, shared.outcomes);
  tally(report, tenantOutcomes);
  if (report.failures.length > 0) report.outcome = "partial";
}

/** A dry run: what a real run would write now (rows of an earlier run count as skipped); nothing is written. */
async function countDryRun(report: HypersigilImportReport, plan: ImportPlan, options: HypersigilImportOptions): Promise<void> {
  const total = rowCount(plan);
  let done = 0;
  const check = async (table: MappedTable, ids: string[], exists: (id: string) => Promise<unknown>) => {
    for (const id of ids) {
      report.tables[table][(await exists(id)) ? "skipped" : "imported"] += 1;
      options.onProgress?.((done += 1), total);
    }
  };
  const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
  await check("users", ids(plan.shared.users), (id) => userModel.findById(id));
  await check("api_keys", ids(plan.shared.apiKeys), (id) => apiKeyModel.findById(id));
  await check("settings", ids(plan.shared.settings), (id) => settingsModel.findById(id));
  await check("prompts", ids(plan.tenant.prompts), (id) => promptModel.findById(id));
  await check("files", ids(plan.tenant.files), (id) => fileModel.findMetadata(id));
  await check("deployments", ids(plan.tenant.deployments), (id) => deploymentModel.findById(id));
  await check("executions", ids(plan.tenant.executions), (id) => executionModel.findById(id));
  await check("comments", ids(plan.tenant.comments), (id) => executionCommentModel.findById(id));
  await check("comments", ids(plan.tenant.promptComments), (id) => promptCommentModel.findById(id));
  await check("test_data_groups", ids(plan.tenant.datasets), (id) => datasetModel.findById(id));
  await check("test_data_items", ids(plan.tenant.datasetItems), (id) => datasetItemModel.findById(id));
}

/** What the workspace would use after the import against its plan's limits; only the limits it would exceed. */
async function quotaOverruns(tenant: TenantRow, plan: ImportPlan): Promise<QuotaOverrun[]> {
  const thisMonth = utcPeriod(new Date());
  // A user whose email the workspace already has is not written (imported-rows.ts): not a new seat.
  let newUsers = 0;
  for (const user of plan.shared.users) {
    if (user.status !== "inactive" && (await userModel.findById(user.id)) === null && (await userModel.findByEmail(user.email)) === null) newUsers += 1;
  }
  const newFiles = await filterMissing(plan.tenant.files, (id) => fileModel.findMetadata(id));
  const newItems = await filterMissing(plan.tenant.datasetItems, (id) => datasetItemModel.findById(id));
  const newExecutions = await filterMissing(
    plan.tenant.executions.filter((execution) => utcPeriod(execution.createdAt) === thisMonth),
    (id) => executionModel.findById(id),
  );
  const usage: QuotaOverrun[] = [
    { resource: "users", limit: tenant.limitUsers, afterImport: (await userModel.countSeats()) + newUsers, unit: "active and invited users" },
    {
      resource: "storage",
      limit: storageLimitBytes(tenant),
      afterImport:
        (await storedBytes()) +
        newFiles.reduce((sum, file) => sum + file.content.byteLength, 0) +
        newItems.reduce((sum, item) => sum + datasetItemBytes(item), 0),
      unit: "bytes of files and dataset items",
    },
    {
      resource: "executions_per_month",
      limit: tenant.limitExecutionsPerMonth,
      afterImport: (await executionModel.countThisMonth()) + newExecutions.length,
      unit: "executions this month (UTC)",
    },
  ];
  return usage.filter((entry) => entry.afterImport > entry.limit);
}

async function filterMissing<T extends { id: string }>(rows: T[], find: (id: string) => Promise<unknown>): Promise<T[]> {
  const missing: T[] = [];
  for (const row of rows) if ((await find(row.id)) === null) missing.push(row);
  return missing;
}
