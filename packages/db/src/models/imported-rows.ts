import { and, eq, inArray, sql } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { apiKeys, type ApiKeyScope } from "../schema/shared/api-keys.ts";
import { settings } from "../schema/shared/settings.ts";
import { users, type UserRole, type UserStatus } from "../schema/shared/users.ts";
import { datasetItems, datasets } from "../schema/tenant/datasets.ts";
import { deployments } from "../schema/tenant/deployments.ts";
import { executionComments } from "../schema/tenant/execution-comments.ts";
import { executions, type ExecutionStatus } from "../schema/tenant/executions.ts";
import { files } from "../schema/tenant/files.ts";
import { promptComments } from "../schema/tenant/prompt-comments.ts";
import { prompts, promptVersions, type JsonSchema } from "../schema/tenant/prompts.ts";
import { usageCounters } from "../schema/tenant/usage-counters.ts";
import { tenantContext } from "../tenant-context.ts";
import { utcPeriod } from "../usage-periods.ts";
import type { SyncDatabase } from "./base-model.ts";
import { sealSecretFields } from "./settings.ts";
import { IsolatedModel, SharedModel } from "./strategies.ts";

/**
 * Bulk writes of rows brought in from another system (`sigil import-hypersigil`): the rows keep
 * their ids and timestamps, which the ordinary `create` methods assign themselves. Each call is
 * one IMMEDIATE transaction, so a batch lands whole or not at all; rows whose id is already
 * present are skipped, which makes a rerun of the same import change nothing. Tenant scope and
 * usage counters (`usage_counters`, and `tenant_stats` through its triggers) are kept exactly as
 * the ordinary writes keep them.
 */

export interface ImportedPromptVersion {
  version: number;
  name: string;
  template: string;
  responseSchema: JsonSchema | null;
  inputSchema: JsonSchema | null;
  acceptsFiles: boolean;
  createdAt: Date;
}

export interface ImportedPrompt {
  id: string;
  name: string;
  template: string;
  responseSchema: JsonSchema | null;
  inputSchema: JsonSchema | null;
  acceptsFiles: boolean;
  currentVersion: number;
  versions: ImportedPromptVersion[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedFile {
  id: string;
  name: string;
  mimeType: string;
  content: Buffer;
  sha256: string;
  uploadedBy: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedDeployment {
  id: string;
  name: string;
  promptId: string;
  promptVersion: number | null;
  provider: string;
  model: string;
  options: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedExecution {
  id: string;
  promptId: string;
  promptVersion: number;
  input: Record<string, unknown>;
  fileIds: string[];
  provider: string;
  model: string;
  status: Exclude<ExecutionStatus, "pending" | "running">;
  /** hypersigil's star on the execution. */
  starred: boolean;
  result: string | null;
  error: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A comment on an execution's output; the anchor's offsets are null when only its quoted text is known. */
export interface ImportedComment {
  id: string;
  executionId: string;
  body: string;
  anchorStart: number | null;
  anchorEnd: number | null;
  anchorText: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A hypersigil "generic" comment: on a prompt as a whole, not on one output. */
export interface ImportedPromptComment {
  id: string;
  promptId: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A hypersigil test-data group. */
export interface ImportedDataset {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A hypersigil test-data item: its content as variables, its name (if any) as a tag. */
export interface ImportedDatasetItem {
  id: string;
  datasetId: string;
  position: number;
  variables: Record<string, unknown>;
  expectedOutput: string | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedTenantRows {
  prompts: ImportedPrompt[];
  files: ImportedFile[];
  deployments: ImportedDeployment[];
  executions: ImportedExecution[];
  comments: ImportedComment[];
  promptComments: ImportedPromptComment[];
  datasets: ImportedDataset[];
  datasetItems: ImportedDatasetItem[];
}

export type ImportedTable = keyof ImportedTenantRows | "users" | "api_keys" | "settings";

/** What happened to one row: written, already there (an earlier run), or refused. */
export type RowOutcome =
  | { table: ImportedTable; id: string; outcome: "imported"; note?: string }
  | { table: ImportedTable; id: string; outcome: "skipped"; note: string }
  | { table: ImportedTable; id: string; outcome: "failed"; note: string };

/** Thrown inside an import transaction to undo all of it (`--on-error abort`). */
export class ImportAbortedError extends Error {
  constructor(readonly outcome: RowOutcome) {
    super(`${outcome.table} ${outcome.id}: ${outcome.note}`);
    this.name = "ImportAbortedError";
  }
}

export interface ImportWriteOptions {
  /** A refused row (a name taken by another row) aborts the whole transaction instead of being skipped. */
  abortOnFailure: boolean;
  /** Called after each row, inside the transaction (progress). */
  onRow?: (outcome: RowOutcome) => void;
}

type IdTable =
  | typeof prompts
  | typeof files
  | typeof deployments
  | typeof executions
  | typeof executionComments
  | typeof promptComments
  | typeof datasets
  | typeof datasetItems;

function existingIds(tx: SyncDatabase, table: IdTable, ids: string[]): Set<string> {
  const found = new Set<string>();
  // SQLite's default limit on bound parameters is far above this chunk.
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    for (const row of tx.select({ id: table.id }).from(table).where(inArray(table.id, chunk)).all()) found.add(row.id);
  }
  return found;
}

/** A free name: `name`, else `name (hypersigil <id prefix>)`; prompt and dataset names are unique in Sigil, not in hypersigil. */
function freeName(tx: SyncDatabase, table: typeof prompts | typeof datasets, name: string, id: string): string {
  const taken = (candidate: string) => tx.select({ id: table.id }).from(table).where(eq(table.name, candidate)).get() !== undefined;
  if (!taken(name)) return name;
  const renamed = `${name} (hypersigil ${id.slice(0, 8)})`;
  return taken(renamed) ? `${name} (hypersigil ${id})` : renamed;
}

class ImportedTenantRowsModel extends IsolatedModel<typeof prompts> {
  constructor() {
    super(prompts);
  }

  /** Writes prompts (with their versions), files, deployments, executions and their comments in one transaction. */
  write(rows: ImportedTenantRows, options: ImportWriteOptions): RowOutcome[] {
    return this.withDatabase("import.tenantRows", (db) => this.transaction(db, (tx) => writeTenantRows(tx, rows, options)));
  }
}

/** Writes each row whose id is not in `table` yet (`write` says how it went); the others are skipped as already imported. */
function eachNew<R extends { id: string }>(
  tx: SyncDatabase,
  table: IdTable,
  name: ImportedTable,
  rows: R[],
  record: (outcome: RowOutcome) => void,
  write: (row: R) => RowOutcome,
): void {
  const there = existingIds(
    tx,
    table,
    rows.map((row) => row.id),
  );
  for (const row of rows) record(there.has(row.id) ? { table: name, id: row.id, outcome: "skipped", note: "already imported" } : write(row));
}

function writeTenantRows(tx: SyncDatabase, rows: ImportedTenantRows, options: ImportWriteOptions): RowOutcome[] {
  const outcomes: RowOutcome[] = [];
  const record = (outcome: RowOutcome) => {
    if (outcome.outcome === "failed" && options.abortOnFailure) throw new ImportAbortedError(outcome);
    outcomes.push(outcome);
    options.onRow?.(outcome);
  };
  eachNew(tx, prompts, "prompts", rows.prompts, record, (prompt) => writePrompt(tx, prompt));
  eachNew(tx, files, "files", rows.files, record, (file) => {
    tx.insert(files)
      .values({ ...file, size: file.content.byteLength })
      .run();
    return { table: "files", id: file.id, outcome: "imported" };
  });
  eachNew(tx, deployments, "deployments", rows.deployments, record, (deployment) => {
    // A deployment is called by its name: renaming it would silently break its callers.
    if (tx.select({ id: deployments.id }).from(deployments).where(eq(deployments.name, deployment.name)).get()) {
      return { table: "deployments", id: deployment.id, outcome: "failed", note: `a deployment named "${deployment.name}" already exists in the workspace` };
    }
    tx.insert(deployments).values(deployment).run();
    return { table: "deployments", id: deployment.id, outcome: "imported" };
  });
  const perMonth = new Map<string, number>();
  eachNew(tx, executions, "executions", rows.executions, record, (execution) => {
    tx.insert(executions)
      .values({ ...execution, attempts: execution.startedAt ? 1 : 0 })
      .run();
    const period = utcPeriod(execution.createdAt);
    perMonth.set(period, (perMonth.get(period) ?? 0) + 1);
    return { table: "executions", id: execution.id, outcome: "imported" };
  });
  eachNew(tx, executionComments, "comments", rows.comments, record, (comment) => {
    // Its execution is in this import, or was imported by an earlier run (the plan keeps no other).
    tx.insert(executionComments)
      .values({ ...comment, createdBy: null })
      .run();
    return { table: "comments", id: comment.id, outcome: "imported" };
  });
  // Reported with the other comments: hypersigil keeps both kinds in one table.
  eachNew(tx, promptComments, "comments", rows.promptComments, record, (comment) => {
    tx.insert(promptComments)
      .values({ ...comment, promptVersion: null, createdBy: null })
      .run();
    return { table: "comments", id: comment.id, outcome: "imported" };
  });
  eachNew(tx, datasets, "datasets", rows.datasets, record, (dataset) => {
    const name = freeName(tx, datasets, dataset.name, dataset.id);
    tx.insert(datasets)
      .values({ ...dataset, name })
      .run();
    return { table: "datasets", id: dataset.id, outcome: "imported", ...(name === dataset.name ? {} : { note: `renamed to "${name}" (the name was taken)` }) };
  });
  // Items' bytes count toward storage through the triggers (tenant migration 0003).
  eachNew(tx, datasetItems, "datasetItems", rows.datasetItems, record, (item) => {
    tx.insert(datasetItems).values(item).run();
    return { table: "datasetItems", id: item.id, outcome: "imported" };
  });
  // Every execution counts in the month it was created (models/execution.ts afterCreate).
  const now = new Date();
  for (const [period, count] of perMonth) {
    tx.insert(usageCounters)
      .values({ metric: "executions", period, count, updatedAt: now })
      .onConflictDoUpdate({ target: [usageCounters.metric, usageCounters.period], set: { count: sql`${usageCounters.count} + ${count}`, updatedAt: now } })
      .run();
  }
  return outcomes;
}

/** A prompt with every version it had; the current version carries the (possibly de-duplicated) name. */
function writePrompt(tx: SyncDatabase, prompt: ImportedPrompt): RowOutcome {
  const name = freeName(tx, prompts, prompt.name, prompt.id);
  const current = prompt.versions.find((version) => version.version === prompt.currentVersion);
  const { versions: _versions, ...row } = prompt;
  tx.insert(prompts)
    .values({ ...row, name, description: "" })
    .run();
  for (const version of prompt.versions) {
    tx.insert(promptVersions)
      .values({
        ...version,
        id: crypto.randomUUID(),
        promptId: prompt.id,
        name: version === current ? name : version.name,
        description: "",
        changeNote: "imported from hypersigil",
      })
      .run();
  }
  return { table: "prompts", id: prompt.id, outcome: "imported", ...(name === prompt.name ? {} : { note: `renamed to "${name}" (the name was taken)` }) };
}

export interface ImportedUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  status: UserStatus;
  passwordHash: string | null;
  invitationTokenHash: string | null;
  invitationExpiresAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedApiKey {
  id: string;
  userId: string;
  name: string;
  keyId: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  usageCount: number;
  lastUsedAt: Date | null;
  revokedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedSetting {
  /** Stable across runs: derived from the source row, so a rerun finds it. */
  id: string;
  type: string;
  identifier: string;
  /** Secret fields in plain text: sealed here with the installation's key, like settingsModel.upsert. */
  payload: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ImportedSharedRows {
  users: ImportedUser[];
  apiKeys: ImportedApiKey[];
  settings: ImportedSetting[];
}

export interface SharedWriteResult {
  outcomes: RowOutcome[];
  /** Source user id → the workspace user it became (an existing user with the same email counts). */
  userIds: Map<string, string>;
}

class ImportedSharedRowsModel extends SharedModel<typeof users> {
  constructor() {
    super(users);
  }

  /**
   * Writes users, API keys and settings of the current tenant in one transaction. A user whose
   * email already belongs to a workspace user is not written: references to it (API keys) go to
   * that user. An existing setting of the same type and identifier is kept, never overwritten.
   */
  write(rows: ImportedSharedRows, options: Pick<ImportWriteOptions, "onRow">): SharedWriteResult {
    const tenantId = tenantContext.getCurrentTenantId("import.sharedRows");
    const vault = HybridDatabaseManager.getInstance().secrets;
    return this.withDatabase("import.sharedRows", (db) =>
      this.transaction(db, (tx) => {
        const outcomes: RowOutcome[] = [];
        const record = (outcome: RowOutcome) => {
          outcomes.push(outcome);
          options.onRow?.(outcome);
        };
        const userIds = new Map<string, string>();
        for (const user of rows.users) {
          const byId = tx
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.tenantId, tenantId), eq(users.id, user.id)))
            .get();
          const byEmail = tx
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.tenantId, tenantId), eq(users.email, user.email)))
            .get();
          if (byId) {
            userIds.set(user.id, byId.id);
            record({ table: "users", id: user.id, outcome: "skipped", note: "already imported" });
          } else if (byEmail) {
            userIds.set(user.id, byEmail.id);
            record({ table: "users", id: user.id, outcome: "skipped", note: `${user.email} is already a user of the workspace (kept as it is)` });
          } else {
            tx.insert(users)
              .values({ ...user, tenantId })
              .run();
            userIds.set(user.id, user.id);
            record({ table: "users", id: user.id, outcome: "imported" });
          }
        }
        for (const key of rows.apiKeys) {
          const owner = userIds.get(key.userId);
          if (!owner) {
            record({ table: "api_keys", id: key.id, outcome: "failed", note: "its user was not imported" });
            continue;
          }
          const there = tx
            .select({ id: apiKeys.id })
            .from(apiKeys)
            .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, key.id)))
            .get();
          if (there) {
            record({ table: "api_keys", id: key.id, outcome: "skipped", note: "already imported" });
            continue;
          }
          tx.insert(apiKeys)
            .values({ ...key, userId: owner, tenantId, status: "revoked" })
            .run();
          record({ table: "api_keys", id: key.id, outcome: "imported" });
        }
        for (const setting of rows.settings) {
          const there = tx
            .select({ id: settings.id })
            .from(settings)
            .where(and(eq(settings.tenantId, tenantId), eq(settings.type, setting.type), eq(settings.identifier, setting.identifier)))
            .get();
          if (there) {
            const note = there.id === setting.id ? "already imported" : `the workspace already has a ${setting.type} "${setting.identifier}" (kept as it is)`;
            record({ table: "settings", id: setting.id, outcome: "skipped", note });
            continue;
          }
          const payload = sealSecretFields(setting.type, setting.payload, (plaintext) => vault.seal(plaintext));
          tx.insert(settings)
            .values({ ...setting, payload, tenantId })
            .run();
          record({ table: "settings", id: setting.id, outcome: "imported" });
        }
        return { outcomes, userIds };
      }),
    );
  }

  /** Undoes `write` (the rows it reported as imported), when the tenant's own rows could not be written. */
  undo(outcomes: readonly RowOutcome[]): void {
    const tenantId = tenantContext.getCurrentTenantId("import.undoSharedRows");
    const written = (table: ImportedTable) =>
      outcomes.filter((outcome) => outcome.table === table && outcome.outcome === "imported").map((outcome) => outcome.id);
    this.withDatabase("import.undoSharedRows", (db) =>
      this.transaction(db, (tx) => {
        const apiKeyIds = written("api_keys");
        const settingIds = written("settings");
        const userIds = written("users");
        if (apiKeyIds.length > 0)
          tx.delete(apiKeys)
            .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, apiKeyIds)))
            .run();
        if (settingIds.length > 0)
          tx.delete(settings)
            .where(and(eq(settings.tenantId, tenantId), inArray(settings.id, settingIds)))
            .run();
        if (userIds.length > 0)
          tx.delete(users)
            .where(and(eq(users.tenantId, tenantId), inArray(users.id, userIds)))
            .run();
      }),
    );
  }
}

export const importedTenantRows = new ImportedTenantRowsModel();
export const importedSharedRows = new ImportedSharedRowsModel();
