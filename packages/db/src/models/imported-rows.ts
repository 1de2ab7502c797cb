import { and, eq, inArray, sql } from "drizzle-orm";
import type { Session } from "../engine/session.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { ApiKeyScope } from "../schema/shared/api-keys.ts";
import { users, type UserRole, type UserStatus } from "../schema/shared/users.ts";
import type { datasetItems, datasets } from "../schema/tenant/datasets.ts";
import type { deployments } from "../schema/tenant/deployments.ts";
import type { executionComments } from "../schema/tenant/execution-comments.ts";
import type { executions, ExecutionStatus } from "../schema/tenant/executions.ts";
import type { files } from "../schema/tenant/files.ts";
import type { promptComments } from "../schema/tenant/prompt-comments.ts";
import { prompts, type JsonSchema } from "../schema/tenant/prompts.ts";
import { tenantContext } from "../tenant-context.ts";
import { utcPeriod } from "../usage-periods.ts";
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

async function existingIds(s: Session, table: IdTable, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  // SQLite's default limit on bound parameters is far above this chunk.
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    for (const row of await s.db.select({ id: table.id }).from(table).where(inArray(table.id, chunk))) found.add(row.id);
  }
  return found;
}

/** A free name: `name`, else `name (hypersigil <id prefix>)`; prompt and dataset names are unique in Sigil, not in hypersigil. */
async function freeName(s: Session, table: typeof prompts | typeof datasets, name: string, id: string): Promise<string> {
  const taken = async (candidate: string) => (await s.db.select({ id: table.id }).from(table).where(eq(table.name, candidate))).length > 0;
  if (!(await taken(name))) return name;
  const renamed = `${name} (hypersigil ${id.slice(0, 8)})`;
  return (await taken(renamed)) ? `${name} (hypersigil ${id})` : renamed;
}

class ImportedTenantRowsModel extends IsolatedModel<typeof prompts> {
  constructor() {
    super(prompts);
  }

  /** Writes prompts (with their versions), files, deployments, executions and their comments in one transaction. */
  write(rows: ImportedTenantRows, options: ImportWriteOptions): Promise<RowOutcome[]> {
    return this.session("import.tenantRows", "write", (s) => writeTenantRows(s, rows, options));
  }
}

/** Writes each row whose id is not in `table` yet (`write` says how it went); the others are skipped as already imported. */
async function eachNew<R extends { id: string }>(
  s: Session,
  table: IdTable,
  name: ImportedTable,
  rows: R[],
  record: (outcome: RowOutcome) => void,
  write: (row: R) => Promise<RowOutcome>,
): Promise<void> {
  const there = await existingIds(
    s,
    table,
    rows.map((row) => row.id),
  );
  for (const row of rows) record(there.has(row.id) ? { table: name, id: row.id, outcome: "skipped", note: "already imported" } : await write(row));
}

async function writeTenantRows(s: Session, rows: ImportedTenantRows, options: ImportWriteOptions): Promise<RowOutcome[]> {
  const { prompts, files, deployments, executions, executionComments, promptComments, datasets, datasetItems, usageCounters } = s.t;
  const outcomes: RowOutcome[] = [];
  const record = (outcome: RowOutcome) => {
    if (outcome.outcome === "failed" && options.abortOnFailure) throw new ImportAbortedError(outcome);
    outcomes.push(outcome);
    options.onRow?.(outcome);
  };
  await eachNew(s, prompts, "prompts", rows.prompts, record, async (prompt) => writePrompt(s, prompt));
  await eachNew(s, files, "files", rows.files, record, async (file) => {
    await s.db.insert(s.t.files).values({ ...file, size: file.content.byteLength });
    return { table: "files", id: file.id, outcome: "imported" };
  });
  await eachNew(s, deployments, "deployments", rows.deployments, record, async (deployment) => {
    // A deployment is called by its name: renaming it would silently break its callers.
    if ((await s.db.select({ id: deployments.id }).from(deployments).where(eq(deployments.name, deployment.name))).length > 0) {
      return { table: "deployments", id: deployment.id, outcome: "failed", note: `a deployment named "${deployment.name}" already exists in the workspace` };
    }
    await s.db.insert(s.t.deployments).values(deployment);
    return { table: "deployments", id: deployment.id, outcome: "imported" };
  });
  const perMonth = new Map<string, number>();
  await eachNew(s, executions, "executions", rows.executions, record, async (execution) => {
    await s.db.insert(s.t.executions).values({ ...execution, attempts: execution.startedAt ? 1 : 0 });
    const period = utcPeriod(execution.createdAt);
    perMonth.set(period, (perMonth.get(period) ?? 0) + 1);
    return { table: "executions", id: execution.id, outcome: "imported" };
  });
  await eachNew(s, executionComments, "comments", rows.comments, record, async (comment) => {
    // Its execution is in this import, or was imported by an earlier run (the plan keeps no other).
    await s.db.insert(s.t.executionComments).values({ ...comment, createdBy: null });
    return { table: "comments", id: comment.id, outcome: "imported" };
  });
  // Reported with the other comments: hypersigil keeps both kinds in one table.
  await eachNew(s, promptComments, "comments", rows.promptComments, record, async (comment) => {
    await s.db.insert(s.t.promptComments).values({ ...comment, promptVersion: null, createdBy: null });
    return { table: "comments", id: comment.id, outcome: "imported" };
  });
  await eachNew(s, datasets, "datasets", rows.datasets, record, async (dataset) => {
    const name = await freeName(s, datasets, dataset.name, dataset.id);
    await s.db.insert(s.t.datasets).values({ ...dataset, name });
    return { table: "datasets", id: dataset.id, outcome: "imported", ...(name === dataset.name ? {} : { note: `renamed to "${name}" (the name was taken)` }) };
  });
  // Items' bytes count toward storage through the triggers (tenant migration 0003).
  await eachNew(s, datasetItems, "datasetItems", rows.datasetItems, record, async (item) => {
    await s.db.insert(s.t.datasetItems).values(item);
    return { table: "datasetItems", id: item.id, outcome: "imported" };
  });
  // Every execution counts in the month it was created (models/execution.ts afterCreate).
  const now = new Date();
  for (const [period, count] of perMonth) {
    await s.db
      .insert(s.t.usageCounters)
      .values({ metric: "executions", period, count, updatedAt: now })
      .onConflictDoUpdate({ target: [usageCounters.metric, usageCounters.period], set: { count: sql`${usageCounters.count} + ${count}`, updatedAt: now } });
  }
  return outcomes;
}

/** A prompt with every version it had; the current version carries the (possibly de-duplicated) name. */
async function writePrompt(s: Session, prompt: ImportedPrompt): Promise<RowOutcome> {
  const name = await freeName(s, s.t.prompts, prompt.name, prompt.id);
  const current = prompt.versions.find((version) => version.version === prompt.currentVersion);
  const { versions: _versions, ...row } = prompt;
  await s.db.insert(s.t.prompts).values({ ...row, name, description: "" });
  for (const version of prompt.versions) {
    await s.db.insert(s.t.promptVersions).values({
      ...version,
      id: crypto.randomUUID(),
      promptId: prompt.id,
      name: version === current ? name : version.name,
      description: "",
      changeNote: "imported from hypersigil",
    });
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
  write(rows: ImportedSharedRows, options: Pick<ImportWriteOptions, "onRow">): Promise<SharedWriteResult> {
    const tenantId = tenantContext.getCurrentTenantId("import.sharedRows");
    const vault = HybridDatabaseManager.getInstance().secrets;
    return this.session("import.sharedRows", "write", async (s) => {
      const { users, apiKeys, settings } = s.t;
      const outcomes: RowOutcome[] = [];
      const record = (outcome: RowOutcome) => {
        outcomes.push(outcome);
        options.onRow?.(outcome);
      };
      const userIds = new Map<string, string>();
      for (const user of rows.users) {
        const [byId] = await s.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.tenantId, tenantId), eq(users.id, user.id)));
        const [byEmail] = await s.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.tenantId, tenantId), eq(users.email, user.email)));
        if (byId) {
          userIds.set(user.id, byId.id);
          record({ table: "users", id: user.id, outcome: "skipped", note: "already imported" });
        } else if (byEmail) {
          userIds.set(user.id, byEmail.id);
          record({ table: "users", id: user.id, outcome: "skipped", note: `${user.email} is already a user of the workspace (kept as it is)` });
        } else {
          await s.db.insert(s.t.users).values({ ...user, tenantId });
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
        const [there] = await s.db
          .select({ id: apiKeys.id })
          .from(apiKeys)
          .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, key.id)));
        if (there) {
          record({ table: "api_keys", id: key.id, outcome: "skipped", note: "already imported" });
          continue;
        }
        await s.db.insert(s.t.apiKeys).values({ ...key, userId: owner, tenantId, status: "revoked" });
        record({ table: "api_keys", id: key.id, outcome: "imported" });
      }
      for (const setting of rows.settings) {
        const [there] = await s.db
          .select({ id: settings.id })
          .from(settings)
          .where(and(eq(settings.tenantId, tenantId), eq(settings.type, setting.type), eq(settings.identifier, setting.identifier)));
        if (there) {
          const note = there.id === setting.id ? "already imported" : `the workspace already has a ${setting.type} "${setting.identifier}" (kept as it is)`;
          record({ table: "settings", id: setting.id, outcome: "skipped", note });
          continue;
        }
        const payload = sealSecretFields(setting.type, setting.payload, (plaintext) => vault.seal(plaintext));
        await s.db.insert(s.t.settings).values({ ...setting, payload, tenantId });
        record({ table: "settings", id: setting.id, outcome: "imported" });
      }
      return { outcomes, userIds };
    });
  }

  /** Undoes `write` (the rows it reported as imported), when the tenant's own rows could not be written. */
  async undo(outcomes: readonly RowOutcome[]): Promise<void> {
    const tenantId = tenantContext.getCurrentTenantId("import.undoSharedRows");
    const written = (table: ImportedTable) =>
      outcomes.filter((outcome) => outcome.table === table && outcome.outcome === "imported").map((outcome) => outcome.id);
    await this.session("import.undoSharedRows", "write", async (s) => {
      const { users, apiKeys, settings } = s.t;
      const apiKeyIds = written("api_keys");
      const settingIds = written("settings");
      const userIds = written("users");
      if (apiKeyIds.length > 0) await s.db.delete(s.t.apiKeys).where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, apiKeyIds)));
      if (settingIds.length > 0) await s.db.delete(s.t.settings).where(and(eq(settings.tenantId, tenantId), inArray(settings.id, settingIds)));
      if (userIds.length > 0) await s.db.delete(s.t.users).where(and(eq(users.tenantId, tenantId), inArray(users.id, userIds)));
    });
  }
}

export const importedTenantRows = new ImportedTenantRowsModel();
export const importedSharedRows = new ImportedSharedRowsModel();
