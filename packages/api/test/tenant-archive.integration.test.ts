import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, isSealedSecret, settingsModel, tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readApiConfig } from "../src/config.ts";
import type { AdminActor } from "../src/services/audit.ts";
import { exportTenant, importTenant } from "../src/services/tenant-archive.ts";
import { call, createTenantWithUsers, login, TEST_PASSWORD } from "./harness.ts";

/**
 * Round trip of README "Operating it: moving a workspace": a seeded workspace is exported, then
 * imported into another installation (same slug) and into its own installation (new slug); every
 * row of the tenant file and of its shared rows is compared, and the old password and API key are
 * tried through the real sign-in and API-key paths.
 */

type Row = Record<string, unknown>;
type Dump = Record<string, Row[]>;

const operator: AdminActor = { kind: "operator", name: "test@archive" };
const PROVIDER_KEY = "sk-test-provider-key-0123456789";
let root: string;
let home: string;
let away: string;
let acme: TenantRow;
let apiKey: string;
let source: { file: Dump; shared: Dump };

async function useInstallation(dataDir: string): Promise<HybridDatabaseManager> {
  const manager = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 8 });
  await manager.runSharedMigrations();
  return manager;
}

/** Every row of every table of a tenant's file, in rowid order. */
function dumpTenantFile(tenantId: string): Dump {
  return HybridDatabaseManager.getInstance().withTenantDatabase(tenantId, (db) => {
    const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string;
    }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.$client.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Row[]]));
  });
}

function dumpSharedRows(tenantId: string): Dump {
  const shared = HybridDatabaseManager.getInstance().getSharedDatabase().$client;
  // Ordered by what names a row to people, which an import keeps (ids may change).
  const rowsOf = (table: string, order: string) => shared.prepare(`SELECT * FROM "${table}" WHERE tenant_id = ? ORDER BY ${order}`).all(tenantId) as Row[];
  return { users: rowsOf("users", "email"), api_keys: rowsOf("api_keys", "name"), settings: rowsOf("settings", "type, identifier") };
}

/**
 * The tenant file as the archive holds it: without the audit entries of the export and the
 * import themselves, and without the running totals those entries move (tenant_stats revision
 * and last activity).
 */
function comparable(dump: Dump): Dump {
  return Object.fromEntries(
    Object.entries(dump).map(([table, rows]) => {
      if (table === "audit_log") return [table, rows.filter((row) => row.action !== "tenant.exported" && row.action !== "tenant.imported")];
      if (table === "tenant_stats") return [table, rows.map(({ revision: _revision, last_activity_at: _activity, ...rest }) => rest)];
      return [table, rows];
    }),
  );
}

/** Replaces every id of `ids` wherever it appears as a whole value. */
function remap<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === "string") return (ids.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => remap(item, ids)) as T;
  if (value === null || typeof value !== "object" || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, remap(item, ids)])) as T;
}

async function mutate<T = unknown>(path: string, input: unknown, options: { tenant: string; cookie: string }): Promise<T> {
  const result = await call<T>("mutation", path, input, options);
  if (result.error || result.data === undefined) throw new Error(`${path} failed: ${result.error?.message ?? "no data"}`);
  return result.data;
}

async function exportTo(file: string, includeSecrets: boolean) {
  await useInstallation(home);
  return exportTenant(operator, acme, file, { includeSecrets, sigil: { version: null, commit: null } });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sigil-archive-"));
  home = join(root, "home");
  away = join(root, "away");
  await useInstallation(home);
  acme = (await createTenantWithUsers("acme")).tenant;
  const cookie = await login("acme", "admin@acme.test");
  const as = { tenant: "acme", cookie };
  const prompt = await mutate<{ id: string }>("prompts.create", { name: "Greeting", template: "Hello {{name}}", acceptsFiles: true }, as);
  await mutate("prompts.update", { id: prompt.id, template: "Bye {{name}}" }, as);
  const file = await mutate<{ id: string }>(
    "files.upload",
    { name: "a.txt", mimeType: "text/plain", contentBase64: Buffer.from("attached").toString("base64") },
    as,
  );
  await mutate("deployments.create", { name: "greeter", promptId: prompt.id, provider: "template", model: "mustache" }, as);
  await mutate("executions.create", { promptId: prompt.id, input: { name: "A" }, fileIds: [file.id] }, as);
  const key = await mutate<{ plainKey: string }>("apiKeys.create", { name: "ci", scopes: ["prompts:read"] }, as);
  await mutate("settings.saveProvider", { identifier: "openai", baseUrl: "https://api.example.com/v1", apiKey: PROVIDER_KEY, defaultModel: "m" }, as);
  await mutate("users.invite", { email: "new@acme.test", name: "New", role: "user" }, as);
  apiKey = key.plainKey;
  expect(apiKey).toMatch(/^sgl_/);
  source = { file: dumpTenantFile(acme.id), shared: dumpSharedRows(acme.id) };
  expect(source.file.prompt_versions).toHaveLength(2);
  expect(source.file.executions).toHaveLength(1);
  expect(source.shared.users).toHaveLength(4);
});

afterAll(() => {
  HybridDatabaseManager.closeInstance();
  rmSync(root, { recursive: true, force: true });
});

describe("export, then import into another installation under the same slug", () => {
  let imported: Awaited<ReturnType<typeof importTenant>>;

  beforeAll(async () => {
    const file = join(root, "acme.sigil-tenant.tar.gz");
    const exported = await exportTo(file, false);
    expect(exported.manifest.omittedSecrets).toEqual([{ type: "provider", identifier: "openai", field: "apiKey" }]);
    await useInstallation(away);
    imported = await importTenant(operator, readApiConfig(process.env), file, {});
  });

  test("keeps the tenant id, and every row of the tenant file is equal", () => {
    expect(imported).toMatchObject({ tenant: { id: acme.id, slug: "acme" }, keptTenantId: true, replacedIds: 0, revokedApiKeys: [] });
    expect(comparable(dumpTenantFile(acme.id))).toEqual(comparable(source.file));
  });

  test("every shared row is equal, except the provider key, which was left out and must be entered again", () => {
    const rows = dumpSharedRows(acme.id);
    expect(rows.users).toEqual(source.shared.users);
    expect(rows.api_keys).toEqual(source.shared.api_keys);
    const setting = rows.settings?.[0];
    const original = source.shared.settings?.[0];
    expect({ ...setting, payload: null }).toEqual({ ...original, payload: null });
    const payload = JSON.parse(String(setting?.payload)) as Row;
    expect(payload).toEqual({ ...(JSON.parse(String(original?.payload)) as Row), apiKey: "", apiKeyHint: null });
    expect(imported.notes.join(" ")).toMatch(/1 secret\(s\) were not in the archive/);
  });

  test("the owner signs in with the old password and the old API key works", async () => {
    await expect(login("acme", "admin@acme.test", TEST_PASSWORD)).resolves.toMatch(/sigil_session=/);
    const me = await call<{ user: { email: string } }>("query", "auth.me", undefined, { tenant: "acme", apiKey });
    expect(me.status).toBe(200);
  });

  test("the registry row is the same; the control plane counts the imported file", async () => {
    const row = await tenantModel.findById(acme.id);
    expect({ ...row, updatedAt: null }).toEqual({ ...acme, updatedAt: null });
    const usage = HybridDatabaseManager.getInstance()
      .getSharedDatabase()
      .$client.prepare("SELECT prompt_count, file_count FROM tenant_usage WHERE tenant_id = ?")
      .get(acme.id);
    expect(usage).toEqual({ prompt_count: 1, file_count: 1 });
  });
});

describe("export with --include-secrets", () => {
  test("carries the provider key in plain text and seals it under the destination's key", async () => {
    const file = join(root, "acme-secrets.sigil-tenant.tar.gz");
    expect((await exportTo(file, true)).manifest).toMatchObject({ secrets: "plaintext", omittedSecrets: [] });
    await useInstallation(away);
    const imported = await importTenant(operator, readApiConfig(process.env), file, { slug: "acme-secrets" });
    const setting = await tenantContext.runWithTenant(imported.tenant.id, () => settingsModel.get("provider", "openai"));
    expect(isSealedSecret(setting?.payload.apiKey)).toBe(true);
    const revealed = await tenantContext.runWithTenant(imported.tenant.id, () => (setting ? settingsModel.revealSecret(setting, "apiKey") : undefined));
    expect(revealed).toBe(PROVIDER_KEY);
  });
});

describe("import into the same installation under a new slug", () => {
  let imported: Awaited<ReturnType<typeof importTenant>>;
  let ids: Map<string, string>;

  beforeAll(async () => {
    const file = join(root, "acme-again.sigil-tenant.tar.gz");
    await exportTo(file, false);
    imported = await importTenant(operator, readApiConfig(process.env), file, { slug: "acme-copy", name: "Acme copy" });
    const copy = dumpSharedRows(imported.tenant.id);
    ids = new Map([[acme.id, imported.tenant.id]]);
    for (const table of ["users", "api_keys", "settings"]) {
      (source.shared[table] ?? []).forEach((row, index) => ids.set(String(row.id), String(copy[table]?.[index]?.id)));
    }
  });

  test("gets new ids for the tenant and its shared rows, and the tenant file's references follow them", () => {
    expect(imported).toMatchObject({ tenant: { slug: "acme-copy", name: "Acme copy" }, keptTenantId: false, replacedIds: 6 });
    expect(imported.tenant.id).not.toBe(acme.id);
    expect(comparable(dumpTenantFile(imported.tenant.id))).toEqual(remap(comparable(source.file), ids));
  });

  test("every shared row is equal modulo ids; the API key, whose key id is taken here, is imported revoked", () => {
    const rows = dumpSharedRows(imported.tenant.id);
    expect(rows.users).toEqual(remap(source.shared.users, ids));
    const key = rows.api_keys?.[0];
    const original = remap(source.shared.api_keys, ids)?.[0];
    expect(key).toEqual({ ...original, key_id: imported.revokedApiKeys[0]?.keyId, status: "revoked", revoked_at: expect.any(Number) as number });
    expect(imported.notes.join(" ")).toMatch(/1 API key\(s\) were imported revoked/);
  });

  test("its owner signs in with the old password; the old key still works on the original only", async () => {
    await expect(login("acme-copy", "admin@acme.test", TEST_PASSWORD)).resolves.toMatch(/sigil_session=/);
    expect((await call("query", "auth.me", undefined, { tenant: "acme", apiKey })).status).toBe(200);
    expect((await call("query", "auth.me", undefined, { tenant: "acme-copy", apiKey })).status).toBe(403);
  });

  test("the same slug again is refused, and nothing is added", async () => {
    const file = join(root, "acme-again.sigil-tenant.tar.gz");
    const before = (await tenantModel.findMany({})).length;
    await expect(importTenant(operator, readApiConfig(process.env), file, { slug: "acme-copy" })).rejects.toThrow(/already used by a workspace/);
    expect(await tenantModel.findMany({})).toHaveLength(before);
  });
});
