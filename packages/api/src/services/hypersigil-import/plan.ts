import { createHash, randomBytes } from "node:crypto";
import {
  API_KEY_SCOPES,
  decryptHypersigilSecret,
  isBcryptHash,
  sha256,
  type ApiKeyScope,
  type HypersigilRow,
  type HypersigilSource,
  type ImportedApiKey,
  type ImportedComment,
  type ImportedPromptComment,
  type ImportedDataset,
  type ImportedDatasetItem,
  type ImportedDeployment,
  type ImportedExecution,
  type ImportedFile,
  type ImportedPrompt,
  type ImportedPromptVersion,
  type ImportedSetting,
  type ImportedSharedRows,
  type ImportedTenantRows,
  type ImportedUser,
} from "@sigil/db";
import { MAX_TAG_LENGTH, providerIdentifier, type ProviderKind } from "@sigil/validators";
import type { z } from "zod";
import {
  apiKeyDocument,
  commentDocument,
  deploymentDocument,
  executionDocument,
  fileDocument,
  promptDocument,
  settingDocument,
  testDataGroupDocument,
  testDataItemDocument,
  userDocument,
  type PromptDocument,
  type SettingDocument,
} from "./documents.ts";

/**
 * From the documents of a hypersigil database to the rows Sigil stores, without touching any
 * database: what can be imported, and each row that cannot with the reason.
 */

/** The hypersigil tables Sigil has a model for; every other table is reported as unknown. */
export const MAPPED_TABLES = [
  "users",
  "prompts",
  "files",
  "deployments",
  "executions",
  "comments",
  "api_keys",
  "settings",
  "test_data_groups",
  "test_data_items",
] as const;
export type MappedTable = (typeof MAPPED_TABLES)[number];

export type ProblemKind = "corrupt" | "invalid" | "dangling";

export interface RowProblem {
  table: string;
  id: string;
  kind: ProblemKind;
  reason: string;
}

/** Something the operator must know although the row was imported (or deliberately left out). */
export interface RowNote {
  table: string;
  id: string;
  note: string;
}

export interface ImportPlan {
  shared: ImportedSharedRows;
  tenant: ImportedTenantRows;
  /** Rows read per mapped table (including those with problems). */
  read: Record<MappedTable, number>;
  problems: RowProblem[];
  /** Rows of mapped tables that are deliberately not imported (e.g. a setting Sigil has no use for). */
  leftOut: RowNote[];
  notes: RowNote[];
  unknownTables: { table: string; rows: number }[];
  secretsToReenter: { setting: string; reason: string }[];
  revokedApiKeys: { id: string; name: string; reason: string }[];
}

export interface PlanOptions {
  tenantId: string;
  /** hypersigil's ENCRYPTION_KEY (32 bytes). */
  encryptionKey: Buffer;
}

/**
 * The id a row of shared.sqlite gets: hypersigil's ids are unique in one hypersigil database, but
 * shared.sqlite holds every tenant's users, keys and settings, so the same hypersigil file
 * imported into two workspaces must not collide. Derived from (tenant, table, id): the same on
 * every run, which is what makes a rerun find the rows of the previous one.
 */
export function sharedRowId(tenantId: string, table: string, sourceId: string): string {
  const hex = createHash("sha256").update(`hypersigil:${tenantId}:${table}:${sourceId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Hypersigil's providers as Sigil provider settings: the native kind where Sigil speaks the
 * provider's own API (worker/providers), else its OpenAI-compatible endpoint.
 */
const PROVIDER_ENDPOINTS: Record<string, { kind: ProviderKind; baseUrl: string; defaultModel: string }> = {
  openai: { kind: "openai", baseUrl: "https://api.openai.com/v1", defaultModel: "gpt-4o-mini" },
  anthropic: { kind: "anthropic", baseUrl: "https://api.anthropic.com", defaultModel: "claude-3-5-haiku-latest" },
  gemini: { kind: "gemini", baseUrl: "https://generativelanguage.googleapis.com", defaultModel: "gemini-2.0-flash" },
  deepseek: { kind: "openai-compatible", baseUrl: "https://api.deepseek.com/v1", defaultModel: "deepseek-chat" },
  deepinfra: { kind: "openai-compatible", baseUrl: "https://api.deepinfra.com/v1/openai", defaultModel: "meta-llama/Meta-Llama-3.1-8B-Instruct" },
  ollama: { kind: "ollama", baseUrl: "http://localhost:11434", defaultModel: "llama3.2" },
};

const date = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

function parsed<S extends z.ZodType>(
  table: string,
  row: HypersigilRow,
  schema: S,
  problems: RowProblem[],
): { document: z.infer<S>; createdAt: Date; updatedAt: Date } | null {
  let json: unknown;
  try {
    json = JSON.parse(row.data);
  } catch (error) {
    problems.push({ table, id: row.id, kind: "corrupt", reason: `its data is not valid JSON (${(error as Error).message})` });
    return null;
  }
  const createdAt = new Date(row.createdAt);
  const updatedAt = new Date(row.updatedAt);
  if (Number.isNaN(createdAt.getTime()) || Number.isNaN(updatedAt.getTime())) {
    problems.push({ table, id: row.id, kind: "corrupt", reason: `created_at/updated_at are not dates ("${row.createdAt}", "${row.updatedAt}")` });
    return null;
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => `${issue.path.join(".") || "(document)"}: ${issue.message}`).join("; ");
    problems.push({ table, id: row.id, kind: "invalid", reason: `it is not a valid hypersigil ${table} document (${fields})` });
    return null;
  }
  return { document: result.data, createdAt, updatedAt };
}

function promptVersions(document: PromptDocument, createdAt: Date): ImportedPromptVersion[] {
  const byNumber = new Map<number, ImportedPromptVersion>();
  for (const version of document.versions) {
    byNumber.set(version.version, {
      version: version.version,
      name: version.name ?? document.name,
      template: version.prompt,
      responseSchema: version.json_schema_response ?? null,
      inputSchema: version.json_schema_input ?? null,
      acceptsFiles: version.options?.acceptFileUpload ?? false,
      createdAt: date(version.created_at) ?? createdAt,
    });
  }
  // The document's own fields are the current version: authoritative, whatever the array says.
  byNumber.set(document.current_version, {
    version: document.current_version,
    name: document.name,
    template: document.prompt,
    responseSchema: document.json_schema_response ?? null,
    inputSchema: document.json_schema_input ?? null,
    acceptsFiles: document.options?.acceptFileUpload ?? false,
    createdAt: byNumber.get(document.current_version)?.createdAt ?? createdAt,
  });
  return [...byNumber.values()].sort((a, b) => a.version - b.version);
}

/** hypersigil keeps an execution's input as text; Sigil as template variables. */
function executionInput(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Free text, not JSON: kept whole under one variable.
  }
  return { user_input: text };
}

export function planImport(source: HypersigilSource, options: PlanOptions): ImportPlan {
  const plan: ImportPlan = {
    shared: { users: [], apiKeys: [], settings: [] },
    tenant: { prompts: [], files: [], deployments: [], executions: [], comments: [], promptComments: [], datasets: [], datasetItems: [] },
    read: { users: 0, prompts: 0, files: 0, deployments: 0, executions: 0, comments: 0, api_keys: 0, settings: 0, test_data_groups: 0, test_data_items: 0 },
    problems: [],
    leftOut: [],
    notes: [],
    unknownTables: [],
    secretsToReenter: [],
    revokedApiKeys: [],
  };
  const rowsOf = (table: MappedTable) => {
    const rows = source.tables.get(table) ?? [];
    plan.read[table] = rows.length;
    return rows;
  };
  for (const [table, rows] of source.tables) {
    if (!(MAPPED_TABLES as readonly string[]).includes(table)) plan.unknownTables.push({ table, rows: rows.length });
  }
  const userIds = planUsers(plan, rowsOf("users"), options);
  const promptIds = planPrompts(plan, rowsOf("prompts"));
  const fileIds = planFiles(plan, rowsOf("files"), options);
  planDeployments(plan, rowsOf("deployments"), promptIds);
  const executionResults = planExecutions(plan, rowsOf("executions"), promptIds, fileIds);
  planComments(plan, rowsOf("comments"), executionResults);
  planApiKeys(plan, rowsOf("api_keys"), userIds, options);
  planSettings(plan, rowsOf("settings"), options);
  const groupIds = planTestDataGroups(plan, rowsOf("test_data_groups"));
  planTestDataItems(plan, rowsOf("test_data_items"), groupIds);
  return plan;
}

/** hypersigil's test-data groups become datasets (same ids: a rerun finds them). */
function planTestDataGroups(plan: ImportPlan, rows: HypersigilRow[]): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    const entry = parsed("test_data_groups", row, testDataGroupDocument, plan.problems);
    if (!entry) continue;
    ids.add(row.id);
    plan.tenant.datasets.push({
      id: row.id,
      name: entry.document.name,
      description: entry.document.description ?? "",
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedDataset);
  }
  return ids;
}

/**
 * Test-data items become dataset items, in their creation order within each group. Their content
 * becomes variables the way an execution's input does (a JSON object as it is, other text under
 * `user_input`), so a prompt runs the same over them; an item's name becomes its tag.
 */
function planTestDataItems(plan: ImportPlan, rows: HypersigilRow[], groupIds: Set<string>): void {
  const positions = new Map<string, number>();
  for (const row of rows) {
    const entry = parsed("test_data_items", row, testDataItemDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    if (!groupIds.has(document.group_id)) {
      plan.problems.push({
        table: "test_data_items",
        id: row.id,
        kind: "dangling",
        reason: `its group ${document.group_id} is not in the database (deleted, or a corrupt row)`,
      });
      continue;
    }
    const position = positions.get(document.group_id) ?? 0;
    positions.set(document.group_id, position + 1);
    const name = document.name?.trim() ?? "";
    const tags = name === "" ? [] : [name.slice(0, MAX_TAG_LENGTH)];
    if (name.length > MAX_TAG_LENGTH)
      plan.notes.push({ table: "test_data_items", id: row.id, note: `its name was cut to ${MAX_TAG_LENGTH} characters to become its tag` });
    plan.tenant.datasetItems.push({
      id: row.id,
      datasetId: document.group_id,
      position,
      variables: executionInput(document.content),
      expectedOutput: null,
      tags,
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedDatasetItem);
  }
}

/** Returns hypersigil user id → the id the user gets in shared.sqlite. */
function planUsers(plan: ImportPlan, rows: HypersigilRow[], options: PlanOptions): Map<string, string> {
  const ids = new Map<string, string>();
  for (const row of rows) {
    const entry = parsed("users", row, userDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    const id = sharedRowId(options.tenantId, "users", row.id);
    const stored = document.auth?.password_hash ?? null;
    const passwordHash = stored !== null && isBcryptHash(stored) ? stored : null;
    if (stored !== null && passwordHash === null) {
      plan.notes.push({ table: "users", id: row.id, note: `${document.email}: the password hash is not bcrypt; they must be given a new password` });
    }
    const token = document.status === "pending" ? document.invitation?.token : undefined;
    ids.set(row.id, id);
    plan.shared.users.push({
      id,
      email: document.email,
      name: document.name || document.email,
      role: document.role,
      status: document.status,
      passwordHash,
      // Sigil stores invitation tokens hashed: the link hypersigil sent keeps working until it expires.
      invitationTokenHash: token ? sha256(token) : null,
      invitationExpiresAt: token ? date(document.invitation?.expires_at) : null,
      lastLoginAt: date(document.auth?.last_login),
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedUser);
  }
  return ids;
}

function planPrompts(plan: ImportPlan, rows: HypersigilRow[]): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    const entry = parsed("prompts", row, promptDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    ids.add(row.id);
    plan.tenant.prompts.push({
      id: row.id,
      name: document.name,
      template: document.prompt,
      responseSchema: document.json_schema_response ?? null,
      inputSchema: document.json_schema_input ?? null,
      acceptsFiles: document.options?.acceptFileUpload ?? false,
      currentVersion: document.current_version,
      versions: promptVersions(document, entry.createdAt),
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedPrompt);
  }
  return ids;
}

function planFiles(plan: ImportPlan, rows: HypersigilRow[], options: PlanOptions): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    const entry = parsed("files", row, fileDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    const content = Buffer.from(document.data, "base64");
    if (document.size !== undefined && document.size !== content.byteLength) {
      plan.notes.push({
        table: "files",
        id: row.id,
        note: `its document says ${document.size} bytes, its content has ${content.byteLength}: the content's size is kept`,
      });
    }
    ids.add(row.id);
    plan.tenant.files.push({
      id: row.id,
      name: document.originalName ?? document.name,
      mimeType: document.mimeType,
      content,
      sha256: createHash("sha256").update(content).digest("hex"),
      // The id the uploader gets in shared.sqlite; the import turns it into the workspace user's id.
      uploadedBy: document.uploadedBy ? sharedRowId(options.tenantId, "users", document.uploadedBy) : null,
      tags: document.tags ?? [],
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedFile);
  }
  return ids;
}

function planDeployments(plan: ImportPlan, rows: HypersigilRow[], promptIds: Set<string>): void {
  for (const row of rows) {
    const entry = parsed("deployments", row, deploymentDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    if (!promptIds.has(document.promptId)) {
      plan.problems.push({
        table: "deployments",
        id: row.id,
        kind: "dangling",
        reason: `its prompt ${document.promptId} is not in the database (deleted, or a corrupt row)`,
      });
      continue;
    }
    plan.tenant.deployments.push({
      id: row.id,
      name: document.name,
      promptId: document.promptId,
      promptVersion: document.promptVersion ?? null,
      provider: document.provider,
      model: document.model,
      options: document.options ?? {},
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedDeployment);
  }
}

/** Returns the id → result (null: none) of every execution the plan imports, for the comments on them. */
function planExecutions(plan: ImportPlan, rows: HypersigilRow[], promptIds: Set<string>, fileIds: Set<string>): Map<string, string | null> {
  const results = new Map<string, string | null>();
  for (const row of rows) {
    const entry = parsed("executions", row, executionDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    // Sigil's executions belong to a prompt (executions.prompt_id is required).
    if (!document.prompt_id || !promptIds.has(document.prompt_id)) {
      const reason = document.prompt_id
        ? `its prompt ${document.prompt_id} is not in the database (deleted, or a corrupt row)`
        : "it ran a prompt text without a saved prompt, which Sigil cannot keep";
      plan.problems.push({ table: "executions", id: row.id, kind: "dangling", reason });
      continue;
    }
    const fileIdsOf: string[] = [];
    if (document.fileId) {
      if (fileIds.has(document.fileId)) fileIdsOf.push(document.fileId);
      else plan.notes.push({ table: "executions", id: row.id, note: `its file ${document.fileId} is not in the database; imported without it` });
    }
    const unfinished = document.status === "pending" || document.status === "running";
    if (unfinished) plan.notes.push({ table: "executions", id: row.id, note: `was ${document.status} in hypersigil: imported as failed, not run again` });
    plan.tenant.executions.push({
      id: row.id,
      promptId: document.prompt_id,
      promptVersion: document.prompt_version ?? 1,
      input: executionInput(document.user_input),
      fileIds: fileIdsOf,
      provider: document.provider,
      model: document.model,
      status: document.status === "completed" ? "completed" : "failed",
      starred: document.starred ?? false,
      result: document.result ?? null,
      error: unfinished ? `Was ${document.status} in hypersigil when it was imported into Sigil; run it again.` : (document.error_message ?? null),
      startedAt: date(document.started_at),
      completedAt: date(document.completed_at) ?? (unfinished ? entry.updatedAt : null),
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedExecution);
    results.set(row.id, document.result ?? null);
  }
  return results;
}

/**
 * hypersigil's comments on executions (TextCommentable: a selected span with its offsets, or
 * "generic"). An anchor is kept where its text is in the output: at its offsets, else at the
 * first place the text occurs; otherwise only the quoted text is kept (offsets null). Comments
 * with no execution (hypersigil's generic comments on a prompt) become comments on the prompt.
 */
function planComments(plan: ImportPlan, rows: HypersigilRow[], executionResults: Map<string, string | null>): void {
  const promptIds = new Set(plan.tenant.prompts.map((prompt) => prompt.id));
  for (const row of rows) {
    const entry = parsed("comments", row, commentDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    if (!document.execution_id) {
      if (!document.prompt_id) {
        plan.leftOut.push({ table: "comments", id: row.id, note: "a comment on neither an execution nor a prompt" });
      } else if (!promptIds.has(document.prompt_id)) {
        plan.problems.push({
          table: "comments",
          id: row.id,
          kind: "dangling",
          reason: `its prompt ${document.prompt_id} is not imported (deleted, or it could not be)`,
        });
      } else {
        plan.tenant.promptComments.push({
          id: row.id,
          promptId: document.prompt_id,
          body: document.text,
          createdAt: entry.createdAt,
          updatedAt: entry.updatedAt,
        } satisfies ImportedPromptComment);
      }
      continue;
    }
    if (!executionResults.has(document.execution_id)) {
      plan.problems.push({
        table: "comments",
        id: row.id,
        kind: "dangling",
        reason: `its execution ${document.execution_id} is not imported (deleted, or it could not be)`,
      });
      continue;
    }
    const anchor = document.data.type === "execution" ? placeAnchor(plan, row.id, document.data, executionResults.get(document.execution_id) ?? null) : null;
    plan.tenant.comments.push({
      id: row.id,
      executionId: document.execution_id,
      body: document.text,
      anchorStart: anchor?.start ?? null,
      anchorEnd: anchor?.end ?? null,
      anchorText: anchor?.text ?? null,
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedComment);
  }
}

function placeAnchor(
  plan: ImportPlan,
  id: string,
  selection: { selected_text: string; start_offset: number; end_offset: number },
  result: string | null,
): { start: number | null; end: number | null; text: string } | null {
  const text = selection.selected_text;
  if (text === "") return null;
  if (result !== null && result.slice(selection.start_offset, selection.end_offset) === text) {
    return { start: selection.start_offset, end: selection.end_offset, text };
  }
  const found = result === null ? -1 : result.indexOf(text);
  if (found >= 0) {
    plan.notes.push({
      table: "comments",
      id,
      note: `its selection was not at offsets ${selection.start_offset}–${selection.end_offset}; anchored where the text occurs`,
    });
    return { start: found, end: found + text.length, text };
  }
  plan.notes.push({ table: "comments", id, note: "its selected text is not in the output; kept as a quote without a highlight" });
  return { start: null, end: null, text };
}

function planApiKeys(plan: ImportPlan, rows: HypersigilRow[], userIds: Map<string, string>, options: PlanOptions): void {
  const importedAt = new Date();
  for (const row of rows) {
    const entry = parsed("api_keys", row, apiKeyDocument, plan.problems);
    if (!entry) continue;
    const { document } = entry;
    const userId = userIds.get(document.user_id);
    if (!userId) {
      plan.problems.push({ table: "api_keys", id: row.id, kind: "dangling", reason: `its user ${document.user_id} is not in the database` });
      continue;
    }
    const id = sharedRowId(options.tenantId, "api_keys", row.id);
    const scopes = (document.permissions?.scopes ?? []).filter((scope): scope is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(scope));
    plan.shared.apiKeys.push({
      id,
      userId,
      name: `${document.name} (from hypersigil: reissue)`.slice(0, 200),
      // Never a working credential: the key id is not in Sigil's sgl_ format and the secret hash is of random bytes.
      keyId: `hypersigil-${id.slice(0, 8)}`,
      secretHash: sha256(randomBytes(32).toString("hex")),
      scopes,
      usageCount: document.usage_stats?.total_requests ?? 0,
      lastUsedAt: date(document.usage_stats?.last_used_at),
      revokedAt: importedAt,
      createdAt: entry.createdAt,
      updatedAt: entry.updatedAt,
    } satisfies ImportedApiKey);
    plan.revokedApiKeys.push({
      id: row.id,
      name: document.name,
      reason:
        document.status === "revoked"
          ? "was revoked in hypersigil"
          : "hypersigil keeps only a bcrypt hash of the whole key, which Sigil's keys (sgl_<id>_<secret>) cannot be checked against: issue a new key",
    });
  }
}

function planSettings(plan: ImportPlan, rows: HypersigilRow[], options: PlanOptions): void {
  for (const row of rows) {
    const type = settingType(row.data);
    if (type !== undefined && !["llm-api-key", "webhook-destination", "service-api-key"].includes(type)) {
      plan.leftOut.push({ table: "settings", id: row.id, note: `Sigil has no setting of type "${type}"` });
      continue;
    }
    const entry = parsed("settings", row, settingDocument, plan.problems);
    if (!entry) continue;
    const setting = mapSetting(plan, row.id, entry.document, options);
    if (setting)
      plan.shared.settings.push({ ...setting, id: sharedRowId(options.tenantId, "settings", row.id), createdAt: entry.createdAt, updatedAt: entry.updatedAt });
  }
}

function settingType(data: string): string | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (value !== null && typeof value === "object" && "type" in value && typeof value.type === "string") return value.type;
  } catch {
    // Reported as corrupt by `parsed`.
  }
  return undefined;
}

function mapSetting(
  plan: ImportPlan,
  id: string,
  document: SettingDocument,
  options: PlanOptions,
): Pick<ImportedSetting, "type" | "identifier" | "payload"> | null {
  if (document.type === "service-api-key") {
    plan.leftOut.push({ table: "settings", id, note: `the ${document.provider} service key (embeddings) has no use in Sigil` });
    return null;
  }
  const identifier = providerIdentifier.safeParse(document.identifier);
  if (!identifier.success) {
    plan.problems.push({
      table: "settings",
      id,
      kind: "invalid",
      reason: `"${document.identifier}" cannot name a Sigil setting (lower-case letters, digits and dashes)`,
    });
    return null;
  }
  if (document.type === "webhook-destination") {
    return {
      type: "webhook",
      identifier: identifier.data,
      payload: { url: document.url, events: ["execution.completed", "execution.failed"], enabled: document.active },
    };
  }
  const endpoint = PROVIDER_ENDPOINTS[document.provider];
  if (!endpoint) {
    plan.problems.push({ table: "settings", id, kind: "invalid", reason: `the provider "${document.provider}" is not one hypersigil knows` });
    return null;
  }
  const decrypted = decryptHypersigilSecret(document.api_key, options.encryptionKey);
  if ("problem" in decrypted) {
    // Saved without a key: the provider shows "no key set" until someone enters it again.
    plan.secretsToReenter.push({ setting: `provider/${identifier.data}`, reason: decrypted.problem });
    return { type: "provider", identifier: identifier.data, payload: { ...endpoint, apiKey: "" } };
  }
  return { type: "provider", identifier: identifier.data, payload: { ...endpoint, apiKey: decrypted.plaintext } };
}
