import { existsSync } from "node:fs";
import bcrypt from "bcryptjs";
import Database from "better-sqlite3";
import { encryptHypersigilSecret, HYPERSIGIL_DEFAULT_ENCRYPTION_KEY, hypersigilKey } from "./secrets.ts";

/**
 * Writes a database the way hypersigil writes it (backend/src/database/manager.ts ensureTable,
 * migrations.ts, the models' documents), for the importer's tests and the README's walk-through:
 * prompts with several versions and unicode, executions (some of a deleted prompt), files in
 * base64, deployments, users with bcrypt hashes of known passwords and an invitation, API keys,
 * settings with provider keys encrypted as hypersigil does, comments, test data, a corrupt row.
 */

export interface HypersigilFixtureOptions {
  /** Prompts (each with 1–4 versions); executions are 5 per prompt. Default 40. */
  prompts?: number;
  /** Bytes of each of the 12 files. Default 2048. */
  fileBytes?: number;
  /** Write one prompt row whose `data` is not JSON. Default true. */
  corruptRow?: boolean;
  /** Write executions and a deployment of a deleted prompt. Default true. */
  danglingReferences?: boolean;
  /** The ENCRYPTION_KEY the provider keys are encrypted under. Default: hypersigil's own default. */
  encryptionKey?: string;
  /** Executions created at this time and before (default now). */
  now?: Date;
}

export interface HypersigilFixture {
  path: string;
  encryptionKey: string;
  /** Email → password of the active users (bcrypt-hashed in the file). */
  passwords: Record<string, string>;
  /** The pending invitation's token (as hypersigil stores it). */
  invitation: { email: string; token: string };
  /** The OpenAI key stored encrypted under `encryptionKey`; the anthropic one is under another key. */
  openAiKey: string;
  /** Rows per table, as written (the corrupt row included). */
  counts: Record<string, number>;
  corruptRow: { table: string; id: string } | null;
  /** Executions whose prompt was deleted. */
  danglingExecutionIds: string[];
  /** A deployment of the deleted prompt (null without danglingReferences). */
  danglingDeploymentId: string | null;
  /**
   * Comments on executions (the 40 others are on prompts): anchored at the right offsets, anchored
   * at wrong offsets (the text is elsewhere in the output), quoting text the output lacks, generic,
   * and one on an execution of the deleted prompt (null without danglingReferences).
   */
  executionComments: { anchored: string[]; misplaced: string; missingText: string; generic: string[]; dangling: string | null };
  /** A test-data item of a deleted group (null without danglingReferences). */
  danglingTestDataItemId: string | null;
  fileBytesTotal: number;
}

/** A small deterministic generator, so two fixtures with the same options hold the same documents. */
function sequence(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  // The high bits: an LCG's low bits repeat with a short period.
  const hex = (length: number) => Array.from({ length }, () => (next() >>> 28).toString(16)).join("");
  return {
    int: (below: number) => (next() >>> 16) % below,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    hex,
  };
}

const NAMES = [
  "Support reply 🤖",
  "مساعد خدمة العملاء",
  "שאלות נפוצות",
  "客户支持摘要",
  "日本語の要約",
  "Résumé de facture",
  "Triage 🚑 urgent",
  "Code review 👩‍💻",
  "요약 도우미",
  "Plain prompt",
];
const MODELS: Record<string, string> = { openai: "gpt-4o-mini", anthropic: "claude-3-5-haiku-latest", ollama: "qwen2.5:7b" };
const PROVIDERS = Object.keys(MODELS);
const DOCUMENT_TABLES = [
  "prompts",
  "executions",
  "files",
  "deployments",
  "users",
  "api_keys",
  "settings",
  "comments",
  "test_data_groups",
  "test_data_items",
  "execution_bundles",
  "deployment_embeddings",
];

export function writeHypersigilFixture(path: string, options: HypersigilFixtureOptions = {}): HypersigilFixture {
  if (existsSync(path)) throw new Error(`${path} already exists; the fixture writes a new file.`);
  const encryptionKey = options.encryptionKey ?? HYPERSIGIL_DEFAULT_ENCRYPTION_KEY;
  const key = hypersigilKey(encryptionKey);
  if (!key) throw new Error("The encryption key must be 32 bytes in base64 (hypersigil's ENCRYPTION_KEY).");
  const now = options.now ?? new Date();
  const random = sequence(20_251_204);
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  const counts: Record<string, number> = {};
  // hypersigil's DatabaseManager.ensureTable and MigrationManager.ensureMigrationTable, verbatim.
  for (const table of DOCUMENT_TABLES) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
                id TEXT PRIMARY KEY,
                data TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )`);
    db.exec(`CREATE INDEX IF NOT EXISTS idx_${table}_created_at ON ${table} (created_at)`);
    db.exec(`CREATE INDEX IF NOT EXISTS idx_${table}_updated_at ON ${table} (updated_at)`);
  }
  db.exec(`CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at DATETIME DEFAULT CURRENT_TIMESTAMP
                )`);
  db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").run(1, "add_execution_origin");
  db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").run(2, "change_claude_to_anthropic");

  const insert = (table: string, id: string, document: Record<string, unknown> | string, at: Date) => {
    const data = typeof document === "string" ? document : JSON.stringify(document);
    db.prepare(`INSERT INTO ${table} (id, data, created_at, updated_at) VALUES (?, ?, ?, ?)`).run(id, data, at.toISOString(), at.toISOString());
    counts[table] = (counts[table] ?? 0) + 1;
  };
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

  const write = db.transaction(() => {
    const passwords: Record<string, string> = {};
    const userIds: string[] = [];
    const people = [
      { email: "ada@hypersigil.test", name: "Ada Lovelace", role: "admin", status: "active" },
      { email: "grace@hypersigil.test", name: "Grace Hopper", role: "user", status: "active" },
      { email: "yusuf@hypersigil.test", name: "يوسف الأحمد", role: "user", status: "active" },
      { email: "mei@hypersigil.test", name: "王美", role: "viewer", status: "active" },
      { email: "old@hypersigil.test", name: "Former member", role: "user", status: "inactive" },
    ] as const;
    for (const [index, person] of people.entries()) {
      const id = random.uuid();
      const password = `hypersigil-password-${index + 1}`;
      if (person.status === "active") passwords[person.email] = password;
      userIds.push(id);
      insert(
        "users",
        id,
        {
          ...person,
          profile: { timezone: "Europe/Berlin" },
          auth: { password_hash: bcrypt.hashSync(password, 10), last_login: daysAgo(index).toISOString(), login_attempts: 0 },
        },
        daysAgo(300 - index),
      );
    }
    const invitation = { email: "new@hypersigil.test", token: random.hex(64) };
    insert(
      "users",
      random.uuid(),
      {
        email: invitation.email,
        name: "New colleague",
        role: "user",
        status: "pending",
        invitation: {
          token: invitation.token,
          expires_at: new Date(now.getTime() + 6 * 86_400_000).toISOString(),
          invited_by: userIds[0],
          invited_at: daysAgo(1).toISOString(),
        },
      },
      daysAgo(1),
    );

    const promptIds: string[] = [];
    const promptCount = options.prompts ?? 40;
    for (let index = 0; index < promptCount; index += 1) {
      const id = random.uuid();
      promptIds.push(id);
      // Two prompts share a name: hypersigil allows it, Sigil does not.
      const name = index === 1 ? `${NAMES[0]} #0` : `${NAMES[index % NAMES.length] ?? "Prompt"} #${index}`;
      const versionCount = 1 + (index % 4);
      const created = daysAgo(200 - index);
      const versions = Array.from({ length: versionCount }, (_, v) => ({
        version: v + 1,
        name,
        prompt: `v${v + 1}: Answer {{customer}} about {{topic}} — 你好, مرحبا, 👋 (${index})`,
        json_schema_response:
          v % 2 === 1 ? { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false } : undefined,
        // hypersigil adds additionalProperties: false to every object of an input schema it saves.
        json_schema_input:
          v >= 2
            ? { type: "object", properties: { customer: { type: "string" }, topic: { type: "string" } }, required: ["customer"], additionalProperties: false }
            : undefined,
        options: { acceptFileUpload: index % 5 === 0 },
        created_at: new Date(created.getTime() + v * 3_600_000).toISOString(),
      }));
      const current = versions[versions.length - 1];
      insert(
        "prompts",
        id,
        {
          name,
          prompt: current?.prompt ?? "",
          json_schema_response: current?.json_schema_response,
          json_schema_input: current?.json_schema_input,
          options: current?.options,
          current_version: versionCount,
          versions,
        },
        created,
      );
    }
    const corruptRow = options.corruptRow === false ? null : { table: "prompts", id: random.uuid() };
    if (corruptRow) insert("prompts", corruptRow.id, '{"name": "Half-written prompt", "prompt": "Hello', daysAgo(10));

    const fileIds: string[] = [];
    const fileBytes = options.fileBytes ?? 2048;
    for (let index = 0; index < 12; index += 1) {
      const id = random.uuid();
      fileIds.push(id);
      const content = Buffer.alloc(fileBytes, `${index} ünïcødé 文件 `);
      insert(
        "files",
        id,
        {
          name: `document-${index}.txt`,
          originalName: `Document ${index} 📄.txt`,
          mimeType: "text/plain",
          size: content.byteLength,
          data: content.toString("base64"),
          uploadedBy: userIds[index % 3],
          description: "uploaded in hypersigil",
          tags: index % 2 === 0 ? ["contracts", "2025"] : [],
        },
        daysAgo(100 - index),
      );
    }

    const deletedPromptId = random.uuid();
    const danglingExecutionIds: string[] = [];
    const dangling = options.danglingReferences !== false;
    const completedExecutions: { id: string; result: string }[] = [];
    const executionTarget = (index: number) => (dangling && index % 25 === 24 ? deletedPromptId : promptIds[index % promptIds.length]);
    for (let index = 0; index < promptCount * 5; index += 1) {
      const id = random.uuid();
      const promptId = executionTarget(index);
      if (promptId === deletedPromptId) danglingExecutionIds.push(id);
      const provider = PROVIDERS[index % PROVIDERS.length] ?? "openai";
      const status = index % 17 === 0 ? "failed" : index % 41 === 0 ? "pending" : "completed";
      if (status === "completed" && promptId !== deletedPromptId) completedExecutions.push({ id, result: `Answer ${index} ✅` });
      const created = new Date(now.getTime() - index * 3_600_000);
      insert(
        "executions",
        id,
        {
          prompt_id: promptId,
          prompt_version: 1,
          user_input: index % 3 === 0 ? JSON.stringify({ customer: "Zoë", topic: "refund 💶" }) : `Free text input ${index}: שלום`,
          provider,
          model: MODELS[provider],
          status,
          ...(status === "completed" ? { result: `Answer ${index} ✅`, input_tokens_used: 120, output_tokens_used: 48 } : {}),
          ...(status === "failed" ? { error_message: "Provider answered 429" } : {}),
          started_at: status === "pending" ? undefined : created.toISOString(),
          completed_at: status === "pending" ? undefined : new Date(created.getTime() + 1500).toISOString(),
          origin: index % 2 === 0 ? "app" : "api",
          fileId: index % 10 === 0 ? fileIds[index % fileIds.length] : undefined,
          starred: index % 7 === 0,
        },
        created,
      );
    }

    const deploymentPrompts = [...promptIds.slice(0, 6), ...(dangling ? [deletedPromptId] : [])];
    let danglingDeploymentId: string | null = null;
    for (const [index, promptId] of deploymentPrompts.entries()) {
      const id = random.uuid();
      if (promptId === deletedPromptId) danglingDeploymentId = id;
      const provider = PROVIDERS[index % PROVIDERS.length] ?? "openai";
      insert(
        "deployments",
        id,
        { name: `deployment-${index}`, promptId, promptVersion: 1, provider, model: MODELS[provider], options: { temperature: 0.2 } },
        daysAgo(50 - index),
      );
    }

    const apiKeyScopes = [["executions:run"], ["prompts:read", "executions:read"], ["deployments:run", "deployment-embeddings:run"]];
    for (const [index, scopes] of apiKeyScopes.entries()) {
      const plain = `api_${random.hex(64)}`;
      insert(
        "api_keys",
        random.uuid(),
        {
          name: `Integration ${index + 1} 🔑`,
          key_hash: bcrypt.hashSync(plain, 4),
          key_prefix: plain.slice(0, 16),
          user_id: userIds[index % 2],
          permissions: { scopes },
          status: index === 2 ? "revoked" : "active",
          usage_stats: { total_requests: 10 * index, last_used_at: daysAgo(index).toISOString() },
        },
        daysAgo(60 - index),
      );
    }

    const openAiKey = `sk-hypersigil-${random.hex(32)}`;
    const otherKey = hypersigilKey(Buffer.alloc(32, 7).toString("base64")) ?? key;
    const setting = (document: Record<string, unknown>) => insert("settings", random.uuid(), document, daysAgo(30));
    setting({ type: "llm-api-key", identifier: "openai", provider: "openai", api_key: encryptHypersigilSecret(openAiKey, key), active: true });
    // Encrypted under another ENCRYPTION_KEY (a server whose key was changed): cannot be decrypted.
    setting({
      type: "llm-api-key",
      identifier: "anthropic",
      provider: "anthropic",
      api_key: encryptHypersigilSecret("sk-ant-unrecoverable", otherKey),
      active: true,
    });
    setting({ type: "webhook-destination", identifier: "results", name: "Results", url: "https://hooks.example.com/sigil", active: true });
    setting({ type: "service-api-key", identifier: "voyageai", provider: "voyageai", api_key: encryptHypersigilSecret("pa-voyage", key), active: true });

    for (let index = 0; index < 5; index += 1) {
      const groupId = random.uuid();
      insert("test_data_groups", groupId, { name: `Test group ${index} 🧪`, description: "edge cases", mode: index % 2 === 0 ? "json" : "raw" }, daysAgo(40));
      for (let item = 0; item < 10; item += 1) {
        insert(
          "test_data_items",
          random.uuid(),
          { group_id: groupId, name: `case ${item}`, content: JSON.stringify({ customer: "Nguyễn", n: item }) },
          daysAgo(40),
        );
      }
      insert("execution_bundles", random.uuid(), { test_group_id: groupId, prompt_id: promptIds[index], execution_ids: [] }, daysAgo(39));
    }
    for (let index = 0; index < 40; index += 1) {
      insert(
        "comments",
        random.uuid(),
        { text: `Looks right 👍 (${index})`, data: { type: "generic" }, prompt_id: promptIds[index % promptIds.length] },
        daysAgo(20),
      );
    }
    insert("deployment_embeddings", random.uuid(), { name: "search-embeddings", model: "voyage-3", inputType: "document" }, daysAgo(15));
    // Free text (not JSON) as an item's content, an item without a name, and an item whose group was deleted.
    const textGroupId = random.uuid();
    insert("test_data_groups", textGroupId, { name: "Free text", mode: "raw" }, daysAgo(14));
    insert("test_data_items", random.uuid(), { group_id: textGroupId, name: "greeting", content: "Hello, how are you?" }, daysAgo(14));
    insert("test_data_items", random.uuid(), { group_id: textGroupId, content: '{"customer":"Ada"}' }, daysAgo(13));
    const danglingTestDataItemId = dangling ? random.uuid() : null;
    if (danglingTestDataItemId) insert("test_data_items", danglingTestDataItemId, { group_id: random.uuid(), name: "orphan", content: "x" }, daysAgo(12));

    // Comments on executions, as hypersigil's TextCommentable saves them.
    const comment = (executionId: string, text: string, data: Record<string, unknown>) => {
      const id = random.uuid();
      insert("comments", id, { text, data, execution_id: executionId }, daysAgo(5));
      return id;
    };
    const selection = (result: string, start: number, end: number) => ({
      type: "execution",
      selected_text: result.slice(start, end),
      start_offset: start,
      end_offset: end,
    });
    const commented = completedExecutions.slice(0, 6);
    const anchored = commented.slice(0, 3).map(({ id, result }, index) => comment(id, `Is "Answer" right? 🤔 (${index})`, selection(result, 0, 6)));
    const [fourth, fifth, sixth] = commented.slice(3);
    if (!fourth || !fifth || !sixth) throw new Error("The fixture needs at least 6 completed executions; raise `prompts`.");
    const misplaced = comment(fourth.id, "The tick ✅", { type: "execution", selected_text: "✅", start_offset: 0, end_offset: 1 });
    const missingText = comment(fifth.id, "This sentence was edited away", {
      type: "execution",
      selected_text: "Not in the output",
      start_offset: 2,
      end_offset: 19,
    });
    const generic = [comment(sixth.id, "Overall good", { type: "generic" }), comment(fourth.id, "Needs a source 📚", { type: "generic" })];
    const danglingComment = dangling && danglingExecutionIds[0] ? comment(danglingExecutionIds[0], "On a deleted prompt's run", { type: "generic" }) : null;
    const executionComments = { anchored, misplaced, missingText, generic, dangling: danglingComment };

    return {
      path,
      encryptionKey,
      passwords,
      invitation,
      openAiKey,
      corruptRow,
      danglingExecutionIds,
      danglingDeploymentId,
      executionComments,
      danglingTestDataItemId,
      fileBytesTotal: fileBytes * fileIds.length,
    };
  });
  try {
    const written = write();
    return { ...written, counts };
  } finally {
    db.close();
  }
}
