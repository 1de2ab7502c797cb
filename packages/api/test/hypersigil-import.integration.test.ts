import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  apiKeyModel,
  datasetItemModel,
  datasetModel,
  auditLogModel,
  deploymentModel,
  executionCommentModel,
  promptCommentModel,
  executionModel,
  fileModel,
  HybridDatabaseManager,
  promptModel,
  settingsModel,
  tenantContext,
  tenantModel,
  tenantUsageOf,
  userModel,
  writeHypersigilFixture,
  type HypersigilFixture,
  type HypersigilFixtureOptions,
  type TenantRow,
} from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importHypersigil, type HypersigilImportOptions } from "../src/services/hypersigil-import/import.ts";
import { call, tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

const operator = { kind: "operator", name: "tester@host" } as const;
let env: TestEnv;
let fixture: HypersigilFixture;

function newFixture(name: string, options: HypersigilFixtureOptions = {}): HypersigilFixture {
  return writeHypersigilFixture(join(env.dataDir, `${name}.hypersigil.sqlite`), options);
}

function run(tenant: TenantRow, options: Partial<HypersigilImportOptions> & { path: string }) {
  return importHypersigil(operator, tenant, { dryRun: false, onError: "skip", encryptionKey: fixture.encryptionKey, ...options });
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Every row the import can write, of one workspace, in a stable order. */
async function snapshot(tenant: TenantRow) {
  return tenantContext.runWithTenant(tenant.id, async () => {
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const prompts = byId(await promptModel.findMany());
    const versions = [];
    for (const prompt of prompts) versions.push(...(await promptModel.versions(prompt.id)).map(({ id: _id, ...version }) => version));
    return {
      users: byId(await userModel.findMany()),
      apiKeys: byId(await apiKeyModel.findMany()).map(({ secretHash: _secret, ...key }) => key),
      settings: byId(await settingsModel.findMany()).map((row) => ({
        ...row,
        payload: { ...row.payload, apiKey: row.payload.apiKey === "" ? "" : "(sealed)" },
      })),
      prompts,
      versions,
      files: byId(await fileModel.findMany()),
      deployments: byId(await deploymentModel.findMany()),
      executions: byId(await executionModel.findMany()),
      comments: byId(await executionCommentModel.findMany()),
      promptComments: byId(await promptCommentModel.findMany()),
      executionsThisMonth: await executionModel.countThisMonth(),
      datasets: byId(await datasetModel.findMany()),
      datasetItems: byId(await datasetItemModel.findMany()),
    };
  });
}

beforeAll(async () => {
  env = await useTestEnv();
  fixture = newFixture("main");
});

afterAll(() => env.cleanup());

describe("sigil import-hypersigil (the service)", () => {
  let acme: TenantRow;

  beforeAll(async () => {
    acme = await tenantModel.createTenant(tenantInput("acme"));
  });

  it("a dry run reports everything and writes nothing, and the hypersigil file is never changed", async () => {
    const before = await snapshot(acme);
    const sourceBefore = sha(fixture.path);
    const report = await run(acme, { path: fixture.path, dryRun: true });
    expect(report.outcome).toBe("dry-run");
    expect(report.tables.prompts).toEqual({ read: 41, imported: 40, skipped: 0, failed: 1 });
    expect(report.tables.executions.imported + report.tables.executions.failed).toBe(200);
    expect(await snapshot(acme)).toEqual(before);
    expect(await tenantContext.runWithTenant(acme.id, () => auditLogModel.count())).toBe(0);
    expect(sha(fixture.path)).toBe(sourceBefore);
  });

  it("imports every model, reporting the corrupt row, dangling references and unknown tables", async () => {
    const report = await run(acme, { path: fixture.path });
    expect(report.outcome).toBe("partial");
    expect(report.hypersigilMigrations).toEqual([1, 2]);
    expect(report.tables).toEqual({
      users: { read: 6, imported: 6, skipped: 0, failed: 0 },
      prompts: { read: 41, imported: 40, skipped: 0, failed: 1 },
      files: { read: 12, imported: 12, skipped: 0, failed: 0 },
      deployments: { read: 7, imported: 6, skipped: 0, failed: 1 },
      executions: { read: 200, imported: 192, skipped: 0, failed: 8 },
      comments: { read: 48, imported: 47, skipped: 0, failed: 1 },
      api_keys: { read: 3, imported: 3, skipped: 0, failed: 0 },
      settings: { read: 4, imported: 3, skipped: 1, failed: 0 },
      test_data_groups: { read: 6, imported: 6, skipped: 0, failed: 0 },
      test_data_items: { read: 53, imported: 52, skipped: 0, failed: 1 },
    });
    expect(report.failures).toContainEqual(expect.objectContaining({ table: "prompts", id: fixture.corruptRow?.id, kind: "corrupt" }));
    expect(report.failures).toContainEqual(expect.objectContaining({ table: "test_data_items", id: fixture.danglingTestDataItemId, kind: "dangling" }));
    const dangling = report.failures.filter((failure) => failure.table === "executions" && failure.kind === "dangling").map((failure) => failure.id);
    expect(dangling.sort()).toEqual([...fixture.danglingExecutionIds].sort());
    expect(report.failures).toContainEqual(expect.objectContaining({ table: "deployments", id: fixture.danglingDeploymentId, kind: "dangling" }));
    expect(report.unknownTables).toEqual(expect.arrayContaining([{ table: "execution_bundles", rows: 5 }]));

    const rows = await snapshot(acme);
    // Test-data groups are datasets; their items keep their order, JSON content as variables,
    // free text under user_input, and their name as a tag.
    expect(report.unknownTables.map((table) => table.table)).not.toContain("test_data_items");
    const datasets = rows.datasets;
    expect(datasets.map((dataset) => dataset.name)).toEqual(expect.arrayContaining(["Test group 0 🧪", "Free text"]));
    expect(datasets.find((dataset) => dataset.name === "Test group 3 🧪")?.description).toBe("edge cases");
    const freeText = datasets.find((dataset) => dataset.name === "Free text");
    const items = rows.datasetItems.filter((item) => item.datasetId === freeText?.id).sort((a, b) => a.position - b.position);
    expect(items.map(({ position, variables, tags, expectedOutput }) => ({ position, variables, tags, expectedOutput }))).toEqual([
      { position: 0, variables: { user_input: "Hello, how are you?" }, tags: ["greeting"], expectedOutput: null },
      { position: 1, variables: { customer: "Ada" }, tags: [], expectedOutput: null },
    ]);
    const group0 = rows.datasetItems.filter((item) => item.datasetId === datasets.find((dataset) => dataset.name === "Test group 0 🧪")?.id);
    // hypersigil wrote these items in the same millisecond: their order is the source's (created_at, id).
    expect(group0.map((item) => item.position).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(group0.map((item) => [item.variables, item.tags]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      Array.from({ length: 10 }, (_, n) => [{ customer: "Nguyễn", n }, [`case ${n}`]]),
    );
    // Versions, unicode and the duplicate name (unique in Sigil) survive.
    const fourVersions = rows.prompts.find((prompt) => prompt.currentVersion === 4);
    expect(fourVersions).toBeDefined();
    const versionNumbers = rows.versions.filter((version) => version.promptId === fourVersions?.id).map((version) => version.version);
    expect(versionNumbers.sort()).toEqual([1, 2, 3, 4]);
    // json_schema_input (the fixture gives it to versions 3 and later) is each version's input schema, and the current one the prompt's.
    const inputSchemas = rows.versions
      .filter((version) => version.promptId === fourVersions?.id)
      .sort((a, b) => a.version - b.version)
      .map((version) => version.inputSchema?.required ?? null);
    expect(inputSchemas).toEqual([null, null, ["customer"], ["customer"]]);
    expect(fourVersions?.inputSchema).toMatchObject({ required: ["customer"], additionalProperties: false });
    expect(rows.prompts.map((prompt) => prompt.name)).toEqual(
      expect.arrayContaining([expect.stringContaining("مساعد خدمة العملاء"), expect.stringContaining("客户支持摘要")]),
    );
    expect(rows.prompts.filter((prompt) => prompt.name.startsWith("Support reply 🤖 #0"))).toHaveLength(2);
    // Files are bytes with their sizes, decoded from hypersigil's base64.
    const source = (await import("@sigil/db")).readHypersigilDatabase(fixture.path);
    const sourceFile = source.tables.get("files")?.[0];
    const stored = rows.files.find((file) => file.id === sourceFile?.id);
    const expected = Buffer.from((JSON.parse(sourceFile?.data ?? "{}") as { data: string }).data, "base64");
    expect(stored?.content.equals(expected)).toBe(true);
    expect(stored?.size).toBe(expected.byteLength);
    expect(stored?.uploadedBy).toBe(rows.users.find((user) => user.email === "ada@hypersigil.test")?.id);
    // Unfinished executions are not run again by the worker.
    expect(rows.executions.some((execution) => execution.status === "pending" || execution.status === "running")).toBe(false);
    // API keys come in revoked; the invitation keeps its token (stored hashed).
    expect(rows.apiKeys.every((key) => key.status === "revoked" && key.name.includes("reissue"))).toBe(true);
    expect(report.revokedApiKeys).toHaveLength(3);
    const invited = rows.users.find((user) => user.email === fixture.invitation.email);
    expect(invited?.invitationTokenHash).toBe(createHash("sha256").update(fixture.invitation.token).digest("hex"));
    // The control-plane mirror (the dashboard's usage) saw the writes.
    const usage = await tenantUsageOf(acme.id);
    expect(usage?.promptCount).toBe(40);
    expect(usage?.fileCount).toBe(12);
  });

  it("maps comments on executions with their anchors, generic comments onto their prompts, and keeps the star", async () => {
    const rows = await snapshot(acme);
    const comment = (id: string | null | undefined) => rows.comments.find((row) => row.id === id);
    const resultOf = (executionId: string | undefined) => rows.executions.find((execution) => execution.id === executionId)?.result ?? "";
    const { anchored, misplaced, missingText, generic, dangling } = fixture.executionComments;
    for (const id of anchored) {
      const row = comment(id);
      expect(row).toMatchObject({ anchorStart: 0, anchorEnd: 6, anchorText: "Answer", createdBy: null });
      expect(resultOf(row?.executionId).slice(0, 6)).toBe("Answer");
    }
    // Wrong offsets: anchored where the text is; text not in the output: a quote without offsets.
    const moved = comment(misplaced);
    expect(moved?.anchorText).toBe("✅");
    expect(resultOf(moved?.executionId).slice(moved?.anchorStart ?? 0, moved?.anchorEnd ?? 0)).toBe("✅");
    expect(comment(missingText)).toMatchObject({ anchorStart: null, anchorEnd: null, anchorText: "Not in the output", body: "This sentence was edited away" });
    for (const id of generic) expect(comment(id)).toMatchObject({ anchorStart: null, anchorText: null });
    expect(comment(dangling)).toBeUndefined();
    expect(rows.comments).toHaveLength(7);
    // hypersigil's comments on a prompt as a whole: on the same prompt, with their text and time.
    const source = (await import("@sigil/db")).readHypersigilDatabase(fixture.path).tables.get("comments") ?? [];
    const onPrompts = source.flatMap((row) => {
      const document = JSON.parse(row.data) as { text: string; execution_id?: string; prompt_id?: string };
      return document.execution_id ? [] : [{ id: row.id, promptId: document.prompt_id, body: document.text }];
    });
    expect(onPrompts).toHaveLength(40);
    expect(rows.promptComments.map(({ id, promptId, body }) => ({ id, promptId, body })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      onPrompts.sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(rows.promptComments.every((row) => row.createdBy === null && row.promptVersion === null)).toBe(true);
    const report = await run(acme, { path: fixture.path, dryRun: true });
    expect(report.tables.comments).toEqual({ read: 48, imported: 0, skipped: 47, failed: 1 });
    expect(report.failures).toContainEqual(expect.objectContaining({ table: "comments", id: dangling, kind: "dangling" }));
    // hypersigil's star (every 7th execution of the fixture) comes along.
    expect(rows.executions.filter((execution) => execution.starred).length).toBeGreaterThan(0);
    expect(rows.executions.filter((execution) => execution.starred).length).toBeLessThan(rows.executions.length / 5);
  });

  it("a rerun changes nothing: every row is skipped as already imported", async () => {
    const before = await snapshot(acme);
    const report = await run(acme, { path: fixture.path });
    expect(report.tables.prompts).toEqual({ read: 41, imported: 0, skipped: 40, failed: 1 });
    expect(report.tables.executions).toEqual({ read: 200, imported: 0, skipped: 192, failed: 8 });
    expect(report.tables.comments).toEqual({ read: 48, imported: 0, skipped: 47, failed: 1 });
    expect(report.tables.users.imported + report.tables.api_keys.imported + report.tables.settings.imported).toBe(0);
    expect(await snapshot(acme)).toEqual(before);
  });

  it("an imported user signs in with the old password, which is then stored as scrypt", async () => {
    const email = "grace@hypersigil.test";
    const password = fixture.passwords[email] ?? "";
    expect((await call("mutation", "auth.login", { email, password: "not-the-password" }, { tenant: "acme" })).status).toBe(401);
    const hashOf = () => tenantContext.runWithTenant(acme.id, async () => (await userModel.findByEmail(email))?.passwordHash ?? "");
    expect(await hashOf()).toMatch(/^\$2[aby]\$/);
    expect((await call("mutation", "auth.login", { email, password }, { tenant: "acme" })).status).toBe(200);
    expect(await hashOf()).toMatch(/^scrypt\$/);
    expect((await call("mutation", "auth.login", { email, password }, { tenant: "acme" })).status).toBe(200);
    expect((await call("mutation", "auth.login", { email, password: "not-the-password" }, { tenant: "acme" })).status).toBe(401);
  });

  it("decrypts provider keys with hypersigil's key and stores them under Sigil's; one it cannot decrypt is reported", async () => {
    const openai = await tenantContext.runWithTenant(acme.id, async () => {
      const row = await settingsModel.get("provider", "openai");
      return row ? settingsModel.revealSecret(row, "apiKey") : undefined;
    });
    expect(openai).toBe(fixture.openAiKey);
    const stored = await tenantContext.runWithTenant(acme.id, () => settingsModel.get("provider", "openai"));
    expect(JSON.stringify(stored?.payload)).not.toContain(fixture.openAiKey);
    const anthropic = await tenantContext.runWithTenant(acme.id, () => settingsModel.get("provider", "anthropic"));
    expect(anthropic?.payload.apiKey).toBe("");
  });

  it("with the wrong hypersigil key, every provider key is reported for re-entry and none is stored", async () => {
    const tenant = await tenantModel.createTenant(tenantInput("wrongkey"));
    const report = await run(tenant, { path: fixture.path, encryptionKey: Buffer.alloc(32, 1).toString("base64") });
    expect(report.secretsToReenter.map((secret) => secret.setting).sort()).toEqual(["provider/anthropic", "provider/openai"]);
    const openai = await tenantContext.runWithTenant(tenant.id, () => settingsModel.get("provider", "openai"));
    expect(openai?.payload.apiKey).toBe("");
  });

  it("--on-error abort leaves the workspace as it was when a row is corrupt", async () => {
    const tenant = await tenantModel.createTenant(tenantInput("aborted"));
    const before = await snapshot(tenant);
    const report = await run(tenant, { path: fixture.path, onError: "abort" });
    expect(report.outcome).toBe("aborted");
    expect(report.abortReason).toContain(fixture.corruptRow?.id);
    expect(await snapshot(tenant)).toEqual(before);
  });

  it("--on-error abort also undoes the users, keys and settings when the workspace's own rows fail", async () => {
    const clean = newFixture("clean", { corruptRow: false, danglingReferences: false });
    const tenant = await tenantModel.createTenant(tenantInput("conflict"));
    await tenantContext.runWithTenant(tenant.id, async () => {
      const prompt = await promptModel.create({ name: "Existing", template: "Hi" });
      await deploymentModel.create({ name: "deployment-3", promptId: prompt.id, provider: "template", model: "none" });
    });
    const before = await snapshot(tenant);
    const report = await run(tenant, { path: clean.path, onError: "abort" });
    expect(report.outcome).toBe("aborted");
    expect(report.abortReason).toContain('a deployment named "deployment-3" already exists');
    expect(await snapshot(tenant)).toEqual(before);
    // With skip, the same conflict fails only that deployment.
    const skipped = await run(tenant, { path: clean.path });
    expect(skipped.outcome).toBe("partial");
    expect(skipped.tables.deployments).toEqual({ read: 6, imported: 5, skipped: 0, failed: 1 });
    expect(skipped.failures).toHaveLength(1);
  });

  it("reports the limits of the plan the imported data exceeds", async () => {
    const big = newFixture("big", { corruptRow: false, fileBytes: 100_000 });
    const tenant = await tenantModel.createTenant(
      tenantInput("small", { plan: "free", settings: { features: [], limits: { users: 2, storage: 1, executions_per_month: 1000 } } }),
    );
    // Already a member: the import keeps that user, so it is not a new seat.
    await tenantContext.runWithTenant(tenant.id, () => userModel.create({ email: "grace@hypersigil.test", name: "Grace", role: "admin", status: "active" }));
    const report = await run(tenant, { path: big.path, dryRun: true });
    const overrun = Object.fromEntries(report.quotaOverruns.map((entry) => [entry.resource, entry.afterImport]));
    expect(overrun.users).toBe(5);
    // The files' 1,200,000 bytes and the 52 test-data items' 2,018 (their JSON, as the storage triggers count it).
    expect(overrun.storage).toBe(1_200_000 + 2_018);
    expect(report.quotaOverruns.map((entry) => entry.resource)).not.toContain("executions_per_month");
  });

  it("refuses a file that is not a hypersigil database", async () => {
    const tenant = await tenantModel.createTenant(tenantInput("notsigil"));
    await expect(run(tenant, { path: join(env.dataDir, "shared.sqlite") })).rejects.toThrow(/not a hypersigil database/);
    await expect(run(tenant, { path: join(env.dataDir, "missing.sqlite") })).rejects.toThrow(/does not exist/);
    const garbage = join(env.dataDir, "garbage.sqlite");
    writeFileSync(garbage, "this is not an SQLite file at all, just text ".repeat(200));
    await expect(run(tenant, { path: garbage })).rejects.toThrow(/is not a readable SQLite database|cannot be opened/);
    expect(HybridDatabaseManager.getInstance()).toBeDefined();
  });
});
