/**
 * prompts, executions, files, deployments and audit through the real fetch handler and real SQLite
 * files: every procedure's happy path and its hostile or bad-input cases (unknown ids, a viewer's
 * write, an API key without / with the scope, invalid base64, oversize uploads, templates that do
 * not parse), and that a refused request writes nothing.
 */
import {
  apiKeyModel,
  auditLogModel,
  deploymentModel,
  executionModel,
  fileModel,
  promptModel,
  settingsModel,
  tenantContext,
  type ApiKeyScope,
  type AuditLogRow,
  type DeploymentRow,
  type ExecutionRow,
  type PromptRow,
  type PromptVersionRow,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { MAX_FILE_BYTES } from "@sigil/validators";
import { and, eq, gte } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { generateApiKey } from "../src/auth/api-key-format.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

let env: TestEnv;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
/** Request options per identity on acme. */
const as: Record<string, CallOptions> = {};
let globexUser: CallOptions;

interface Page<T> {
  data: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}
type FileMeta = { id: string; name: string; mimeType: string; size: number; sha256: string; tags: string[]; uploadedBy: string | null };

/** An API key of `owner` with `scopes`, made the way apiKeys.create stores one. */
async function apiKeyFor(tenant: TenantRow, owner: UserRow, scopes: ApiKeyScope[]): Promise<CallOptions> {
  const key = generateApiKey("tenant");
  await tenantContext.runWithTenant(tenant.id, () =>
    apiKeyModel.create({ userId: owner.id, name: `test ${scopes.join(",")}`, keyId: key.keyId, secretHash: key.secretHash, scopes }),
  );
  return { tenant: tenant.slug, apiKey: key.plain };
}

function inAcme<T>(fn: () => Promise<T>): Promise<T> {
  return tenantContext.runWithTenant(acme.tenant.id, fn);
}

function expectOk<T>(result: CallResult<T>): T {
  if (result.error) throw new Error(`expected success, got ${result.status} ${result.error.code}: ${result.error.message}`);
  expect(result.status).toBe(200);
  return result.data as T;
}

function expectError(result: CallResult, code: string, status: number, message?: RegExp): void {
  expect(result.error, `expected ${code}, got data ${JSON.stringify(result.data)?.slice(0, 200)}`).toBeDefined();
  // error.code is the JSON-RPC number; the tRPC code name is in error.data.code.
  expect(result.error?.data.code).toBe(code);
  expect(result.status).toBe(status);
  if (message) expect(result.error?.message).toMatch(message);
}

const q = <T>(path: string, input: unknown, options: CallOptions) => call<T>("query", path, input, options);
const m = <T>(path: string, input: unknown, options: CallOptions) => call<T>("mutation", path, input, options);
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const b64 = (text: string) => Buffer.from(text).toString("base64");

async function newPrompt(options: CallOptions, overrides: Record<string, unknown> = {}): Promise<PromptRow> {
  return expectOk(await m<PromptRow>("prompts.create", { name: `p-${crypto.randomUUID()}`, template: "Hello {{name}}", ...overrides }, options));
}

async function auditActions(): Promise<string[]> {
  return inAcme(async () => (await auditLogModel.findMany()).map((row) => row.action));
}

beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  await createTenantWithUsers("globex");
  for (const role of ["admin", "user", "viewer"] as const) {
    as[role] = { tenant: "acme", cookie: await login("acme", `${role}@acme.test`) };
  }
  globexUser = { tenant: "globex", cookie: await login("globex", "user@globex.test") };
  const all: ApiKeyScope[] = ["prompts:read", "prompts:preview", "executions:run", "executions:read", "files:upload", "files:download", "deployments:run"];
  as.keyAll = await apiKeyFor(acme.tenant, acme.users.user, all);
  as.keyRead = await apiKeyFor(acme.tenant, acme.users.user, ["prompts:read"]);
  as.keyViewerRun = await apiKeyFor(acme.tenant, acme.users.viewer, ["executions:run", "files:upload"]);
  as.keyAdminAll = await apiKeyFor(acme.tenant, acme.users.admin, all);
});
afterAll(() => env.cleanup());

const opt = (name: string): CallOptions => {
  const found = as[name];
  if (!found) throw new Error(`no identity ${name}`);
  return found;
};

describe("prompts", () => {
  test("create makes version 1 and an audit entry; the same name again is a CONFLICT that writes nothing", async () => {
    const prompt = expectOk(await m<PromptRow>("prompts.create", { name: "Greeting", description: "says hi", template: "Hi {{name}}" }, opt("user")));
    expect(prompt).toMatchObject({
      name: "Greeting",
      description: "says hi",
      template: "Hi {{name}}",
      currentVersion: 1,
      acceptsFiles: false,
      createdBy: acme.users.user.id,
    });
    expect(await auditActions()).toContain("prompt.created");

    const before = await inAcme(() => promptModel.count());
    const dup = await m("prompts.create", { name: "Greeting", template: "x" }, opt("admin"));
    expectError(dup, "CONFLICT", 409, /A prompt named "Greeting" already exists/);
    expect(await inAcme(() => promptModel.count())).toBe(before);
  });

  test("bad input: a template that does not parse, an empty name, a non-JSON response schema → BAD_REQUEST, nothing written", async () => {
    const before = await inAcme(() => promptModel.count());
    const unclosed = await m("prompts.create", { name: "broken", template: "Hi {{#items}}{{name}}" }, opt("user"));
    expectError(unclosed, "BAD_REQUEST", 400, /cannot be parsed: Unclosed section "items" at \d+/);
    const badTag = await m("prompts.create", { name: "broken", template: "Hi {{name" }, opt("user"));
    expectError(badTag, "BAD_REQUEST", 400, /Unclosed tag/);
    const noName = await m("prompts.create", { name: "  ", template: "x" }, opt("user"));
    expectError(noName, "BAD_REQUEST", 400, /name: A name is required/);
    expect(noName.error?.data.zodError).toBeTruthy();
    const schema = await m("prompts.create", { name: "schema", template: "x", responseSchema: { at: new Date() } }, opt("user"));
    expectError(schema, "BAD_REQUEST", 400, /responseSchema\.at is a Date/);
    expect(await inAcme(() => promptModel.count())).toBe(before);
  });

  test("access: a viewer cannot write; an API key cannot create; prompts:read keys read; keys without it cannot", async () => {
    const before = await inAcme(() => promptModel.count());
    expectError(await m("prompts.create", { name: "v", template: "x" }, opt("viewer")), "FORBIDDEN", 403, /needs the user role; you are a viewer/);
    expectError(await m("prompts.create", { name: "k", template: "x" }, opt("keyAll")), "FORBIDDEN", 403, /API keys cannot perform it/);
    expect(await inAcme(() => promptModel.count())).toBe(before);

    const prompt = await newPrompt(opt("user"));
    expect(expectOk(await q<PromptRow>("prompts.get", { id: prompt.id }, opt("keyRead"))).id).toBe(prompt.id);
    expect(expectOk(await q<Page<PromptRow>>("prompts.list", {}, opt("keyRead"))).total).toBeGreaterThan(0);
    expectOk(await q("prompts.versions", { id: prompt.id }, opt("keyRead")));
    expectOk(await q("prompts.getVersion", { id: prompt.id, version: 1 }, opt("keyRead")));
    const noScope = await apiKeyFor(acme.tenant, acme.users.user, ["executions:read"]);
    expectError(await q("prompts.get", { id: prompt.id }, noScope), "FORBIDDEN", 403, /lacks the "prompts:read" scope/);
    expectError(await q("prompts.list", {}, noScope), "FORBIDDEN", 403, /prompts:read/);
    expectError(await q("prompts.list", {}, { tenant: "acme" }), "UNAUTHORIZED", 401);
  });

  test("list searches name and description literally (%, _ included) and paginates", async () => {
    const tag = `srch${Date.now()}`;
    for (const name of [`${tag} one`, `${tag} two`, `${tag} three`]) await newPrompt(opt("user"), { name });
    await newPrompt(opt("user"), { name: `other ${crypto.randomUUID()}`, description: `mentions ${tag}` });
    await newPrompt(opt("user"), { name: `${tag} 50% off` });
    await newPrompt(opt("user"), { name: `${tag} a_b` });
    await newPrompt(opt("user"), { name: `${tag} axb` });

    const first = expectOk(await q<Page<PromptRow>>("prompts.list", { query: tag, page: 1, pageSize: 4 }, opt("viewer")));
    expect(first).toMatchObject({ total: 7, page: 1, pageSize: 4, totalPages: 2 });
    const second = expectOk(await q<Page<PromptRow>>("prompts.list", { query: tag.toUpperCase(), page: 2, pageSize: 4 }, opt("viewer")));
    expect(second.data).toHaveLength(3);
    const ids = new Set([...first.data, ...second.data].map((p) => p.id));
    expect(ids.size).toBe(7);
    // Most recently changed first.
    expect(first.data[0]?.name).toBe(`${tag} axb`);

    const percent = expectOk(await q<Page<PromptRow>>("prompts.list", { query: "50%" }, opt("viewer")));
    expect(percent.data.map((p) => p.name)).toEqual([`${tag} 50% off`]);
    const underscore = expectOk(await q<Page<PromptRow>>("prompts.list", { query: `${tag} a_b` }, opt("viewer")));
    expect(underscore.data.map((p) => p.name)).toEqual([`${tag} a_b`]);
    // No input at all: the first page with defaults.
    expect(expectOk(await q<Page<PromptRow>>("prompts.list", undefined, opt("viewer"))).pageSize).toBe(20);
    expectError(await q("prompts.list", { pageSize: 1000 }, opt("viewer")), "BAD_REQUEST", 400, /pageSize/);
    expectError(await q("prompts.list", { page: 0 }, opt("viewer")), "BAD_REQUEST", 400, /page/);
  });

  test("get: unknown id → 404, malformed id → 400, another tenant's id → 404", async () => {
    const prompt = await newPrompt(opt("user"));
    expect(expectOk(await q<PromptRow>("prompts.get", { id: prompt.id }, opt("viewer"))).template).toBe("Hello {{name}}");
    expectError(await q("prompts.get", { id: UNKNOWN_ID }, opt("viewer")), "NOT_FOUND", 404, new RegExp(`Prompt ${UNKNOWN_ID} does not exist`));
    expectError(await q("prompts.get", { id: "../../etc/passwd" }, opt("viewer")), "BAD_REQUEST", 400, /Must be a valid id/);
    expectError(await q("prompts.get", { id: prompt.id }, globexUser), "NOT_FOUND", 404);
    expect(expectOk(await q<Page<PromptRow>>("prompts.list", {}, globexUser)).total).toBe(0);
    // acme's session on globex is refused outright.
    expectError(await q("prompts.get", { id: prompt.id }, { ...opt("viewer"), tenant: "globex" }), "FORBIDDEN", 403);
  });

  test("update makes a new version only when content changes; versions and getVersion show history", async () => {
    const prompt = await newPrompt(opt("user"), { name: `upd-${Date.now()}` });
    const v2 = expectOk(await m<PromptRow>("prompts.update", { id: prompt.id, template: "Bye {{name}}" }, opt("user")));
    expect(v2).toMatchObject({ currentVersion: 2, template: "Bye {{name}}", updatedBy: acme.users.user.id });
    const same = expectOk(await m<PromptRow>("prompts.update", { id: prompt.id, template: "Bye {{name}}" }, opt("user")));
    expect(same.currentVersion).toBe(2);
    const versions = expectOk(await q<PromptVersionRow[]>("prompts.versions", { id: prompt.id }, opt("viewer")));
    expect(versions.map((v) => [v.version, v.changeNote, v.template])).toEqual([
      [2, "update", "Bye {{name}}"],
      [1, "create", "Hello {{name}}"],
    ]);
    expect(expectOk(await q<PromptVersionRow>("prompts.getVersion", { id: prompt.id, version: 1 }, opt("viewer"))).template).toBe("Hello {{name}}");
    expectError(await q("prompts.getVersion", { id: prompt.id, version: 9 }, opt("viewer")), "NOT_FOUND", 404, /has no version 9; its versions are 1 to 2/);
    expectError(await q("prompts.getVersion", { id: UNKNOWN_ID, version: 1 }, opt("viewer")), "NOT_FOUND", 404);
    expectError(await q("prompts.versions", { id: UNKNOWN_ID }, opt("viewer")), "NOT_FOUND", 404);
    const updates = await inAcme(() => auditLogModel.findMany({ where: { action: "prompt.updated", targetId: prompt.id } }));
    expect(updates).toHaveLength(1);
    expect(updates[0]?.details).toMatchObject({ version: 2, changed: ["template"] });
  });

  test("update refusals: unknown id, viewer, unparsable template, a taken name: nothing changes", async () => {
    const prompt = await newPrompt(opt("user"), { name: `keep-${Date.now()}` });
    const other = await newPrompt(opt("user"));
    expectError(await m("prompts.update", { id: UNKNOWN_ID, template: "x" }, opt("user")), "NOT_FOUND", 404);
    expectError(await m("prompts.update", { id: prompt.id, template: "x" }, opt("viewer")), "FORBIDDEN", 403);
    expectError(await m("prompts.update", { id: prompt.id, template: "{{/end}}" }, opt("user")), "BAD_REQUEST", 400, /Unopened section "end"/);
    expectError(await m("prompts.update", { id: prompt.id, name: other.name }, opt("user")), "CONFLICT", 409, /already exists/);
    const after = await inAcme(() => promptModel.findById(prompt.id));
    expect(after).toMatchObject({ currentVersion: 1, template: prompt.template, name: prompt.name });
  });

  test("restoreVersion restores old content as a new version; unknown version → 404; viewer → 403", async () => {
    const prompt = await newPrompt(opt("user"));
    await m("prompts.update", { id: prompt.id, template: "v2 {{x}}", acceptsFiles: true }, opt("user"));
    const restored = expectOk(await m<PromptRow>("prompts.restoreVersion", { id: prompt.id, version: 1 }, opt("user")));
    expect(restored).toMatchObject({ currentVersion: 3, template: "Hello {{name}}", acceptsFiles: false });
    const v3 = expectOk(await q<PromptVersionRow>("prompts.getVersion", { id: prompt.id, version: 3 }, opt("viewer")));
    expect(v3.changeNote).toBe("restore of v1");
    expectError(await m("prompts.restoreVersion", { id: prompt.id, version: 7 }, opt("user")), "NOT_FOUND", 404, /no version 7/);
    expectError(await m("prompts.restoreVersion", { id: UNKNOWN_ID, version: 1 }, opt("user")), "NOT_FOUND", 404);
    expectError(await m("prompts.restoreVersion", { id: prompt.id, version: 2 }, opt("viewer")), "FORBIDDEN", 403);
    expect(await inAcme(() => promptModel.findById(prompt.id))).toMatchObject({ currentVersion: 3 });
    expect(await auditActions()).toContain("prompt.restored");
  });

  test("delete removes the prompt and its history; unknown → 404; viewer → 403; a deployed prompt → CONFLICT", async () => {
    const prompt = await newPrompt(opt("user"));
    expectError(await m("prompts.delete", { id: prompt.id }, opt("viewer")), "FORBIDDEN", 403);
    expect(expectOk(await m<{ ok: boolean }>("prompts.delete", { id: prompt.id }, opt("user"))).ok).toBe(true);
    expectError(await q("prompts.get", { id: prompt.id }, opt("viewer")), "NOT_FOUND", 404);
    expect(await inAcme(() => promptModel.versions(prompt.id))).toEqual([]);
    expectError(await m("prompts.delete", { id: prompt.id }, opt("user")), "NOT_FOUND", 404);
    const deleted = await inAcme(() => auditLogModel.findMany({ where: { action: "prompt.deleted", targetId: prompt.id } }));
    expect(deleted).toHaveLength(1);

    const deployed = await newPrompt(opt("user"));
    expectOk(await m("deployments.create", { name: `dep-${Date.now()}`, promptId: deployed.id, provider: "template", model: "mustache" }, opt("admin")));
    expectError(
      await m("prompts.delete", { id: deployed.id }, opt("user")),
      "CONFLICT",
      409,
      /is used by deployment "dep-\d+"\. An admin must delete it first/,
    );
    expect(await inAcme(() => promptModel.findById(deployed.id))).not.toBeNull();
  });

  test("preview and executions render any variable name: {{hasOwnProperty}}, {{constructor}}, {{__proto__}}, {{toString}}", async () => {
    const template = "[{{hasOwnProperty}}|{{constructor}}|{{__proto__}}|{{toString}}|{{name}}]";
    const empty = expectOk(await m<{ rendered: string }>("prompts.preview", { template, variables: { name: "n" } }, opt("user")));
    expect(empty.rendered).toBe("[||||n]");
    // (superjson, the API's transformer, refuses "constructor" and "__proto__" keys in any input.)
    const given = expectOk(
      await m<{ rendered: string; variables: string[] }>(
        "prompts.preview",
        { template, variables: { hasOwnProperty: "h", toString: "t", name: "n" } },
        opt("user"),
      ),
    );
    expect(given.rendered).toBe("[h|||t|n]");
    expect(given.variables).toEqual(["hasOwnProperty", "constructor", "__proto__", "toString", "name"]);
    const saved = await newPrompt(opt("user"), { template });
    expect(expectOk(await m<{ rendered: string }>("prompts.preview", { id: saved.id, variables: { hasOwnProperty: 1 } }, opt("user"))).rendered).toBe(
      "[1||||]",
    );
  });

  test("preview renders a template or a stored version, lists its variables, does not HTML-escape", async () => {
    type Preview = { rendered: string; variables: string[]; promptId: string | null; version: number | null };
    const inline = expectOk(
      await m<Preview>(
        "prompts.preview",
        {
          template: "Hi {{name}}, {{#items}}[{{title}}]{{/items}}{{^items}}none{{/items}} {{{raw}}} {{obj}}",
          variables: { name: "A & <B>", items: [{ title: "x" }, { title: "y" }], raw: "r", obj: { k: 1 } },
        },
        opt("viewer"),
      ),
    );
    // `title` is a field of each item of `items`, not an input of its own.
    expect(inline).toEqual({ rendered: 'Hi A & <B>, [x][y] r {"k":1}', variables: ["name", "items", "raw", "obj"], promptId: null, version: null });

    const prompt = await newPrompt(opt("user"));
    await m("prompts.update", { id: prompt.id, template: "Bye {{name}} {{when}}" }, opt("user"));
    const current = expectOk(await m<Preview>("prompts.preview", { id: prompt.id, variables: { name: "Z" } }, opt("viewer")));
    expect(current).toEqual({ rendered: "Bye Z ", variables: ["name", "when"], promptId: prompt.id, version: 2 });
    const v1 = expectOk(await m<Preview>("prompts.preview", { id: prompt.id, version: 1, variables: { name: "Z" } }, opt("keyAll")));
    expect(v1.rendered).toBe("Hello Z");
    // Prototype names are not variables.
    expect(
      expectOk(await m<Preview>("prompts.preview", { template: "[{{constructor}}{{toString}}{{__proto__}}]", variables: {} }, opt("viewer"))).rendered,
    ).toBe("[]");
  });

  test("preview refusals: unparsable template, unknown prompt/version, runaway rendering, non-JSON variables, missing scope", async () => {
    expectError(
      await m("prompts.preview", { template: "{{#a}}x", variables: {} }, opt("viewer")),
      "BAD_REQUEST",
      400,
      /The template cannot be parsed: Unclosed section "a" at 7/,
    );
    expectError(await m("prompts.preview", { template: "{{=<% =}}", variables: {} }, opt("viewer")), "BAD_REQUEST", 400, /Invalid tags/);
    expectError(await m("prompts.preview", { id: UNKNOWN_ID, variables: {} }, opt("viewer")), "NOT_FOUND", 404);
    const prompt = await newPrompt(opt("user"));
    expectError(await m("prompts.preview", { id: prompt.id, version: 5, variables: {} }, opt("viewer")), "NOT_FOUND", 404, /no version 5/);
    const list = Array.from({ length: 100 }, (_, i) => i);
    expectError(
      await m("prompts.preview", { template: "{{#a}}{{#a}}{{#a}}{{#a}}x{{/a}}{{/a}}{{/a}}{{/a}}", variables: { a: list } }, opt("viewer")),
      "BAD_REQUEST",
      400,
      /Rendering stopped/,
    );
    expectError(await m("prompts.preview", { template: "{{d}}", variables: { d: new Date() } }, opt("viewer")), "BAD_REQUEST", 400, /variables\.d is a Date/);
    expectError(await m("prompts.preview", { template: "{{n}}", variables: { n: 10n } }, opt("viewer")), "BAD_REQUEST", 400, /variables\.n is a BigInt/);
    expectError(await m("prompts.preview", { template: "", variables: {} }, opt("viewer")), "BAD_REQUEST", 400);
    expectError(await m("prompts.preview", { template: "x", variables: {} }, opt("keyRead")), "FORBIDDEN", 403, /lacks the "prompts:preview" scope/);
  });
});

describe("executions", () => {
  let prompt: PromptRow;
  let filesPrompt: PromptRow;
  let fileId: string;

  beforeAll(async () => {
    prompt = await newPrompt(opt("user"), { name: `exec-${Date.now()}` });
    await m("prompts.update", { id: prompt.id, template: "v2 {{name}}" }, opt("user"));
    filesPrompt = await newPrompt(opt("user"), { acceptsFiles: true });
    fileId = expectOk(await m<FileMeta>("files.upload", { name: "a.txt", mimeType: "text/plain", contentBase64: b64("attached") }, opt("user"))).id;
  });

  test("create from a prompt: pending, current version by default, a given version, the template provider", async () => {
    const current = expectOk(await m<ExecutionRow>("executions.create", { promptId: prompt.id, input: { name: "A" } }, opt("user")));
    expect(current).toMatchObject({
      status: "pending",
      promptId: prompt.id,
      promptVersion: 2,
      provider: "template",
      model: "mustache",
      input: { name: "A" },
      fileIds: [],
      deploymentId: null,
      createdBy: acme.users.user.id,
    });
    const pinned = expectOk(await m<ExecutionRow>("executions.create", { promptId: prompt.id, version: 1, input: {}, model: "m1" }, opt("user")));
    expect(pinned).toMatchObject({ promptVersion: 1, model: "m1" });
    const withFiles = expectOk(await m<ExecutionRow>("executions.create", { promptId: filesPrompt.id, input: {}, fileIds: [fileId, fileId] }, opt("keyAll")));
    expect(withFiles.fileIds).toEqual([fileId]);
  });

  test("create refusals → clear errors and no execution written", async () => {
    const before = await inAcme(() => executionModel.count());
    expectError(
      await m("executions.create", { promptId: UNKNOWN_ID, input: {} }, opt("user")),
      "NOT_FOUND",
      404,
      new RegExp(`Prompt ${UNKNOWN_ID} does not exist`),
    );
    expectError(
      await m("executions.create", { promptId: prompt.id, version: 3, input: {} }, opt("user")),
      "NOT_FOUND",
      404,
      /has no version 3; its versions are 1 to 2/,
    );
    expectError(await m("executions.create", { deploymentId: UNKNOWN_ID, input: {} }, opt("user")), "NOT_FOUND", 404, /Deployment .* does not exist/);
    expectError(await m("executions.create", { promptId: prompt.id, input: {}, fileIds: [fileId] }, opt("user")), "BAD_REQUEST", 400, /does not accept files/);
    expectError(
      await m("executions.create", { promptId: filesPrompt.id, input: {}, fileIds: [UNKNOWN_ID] }, opt("user")),
      "BAD_REQUEST",
      400,
      new RegExp(`Unknown file id: ${UNKNOWN_ID}`),
    );
    expectError(
      await m("executions.create", { promptId: prompt.id, input: {}, provider: "openai" }, opt("user")),
      "BAD_REQUEST",
      400,
      /No provider "openai" is configured/,
    );
    expectError(await m("executions.create", { promptId: prompt.id, input: { at: new Date() } }, opt("user")), "BAD_REQUEST", 400, /input\.at is a Date/);
    expectError(await m("executions.create", { promptId: prompt.id, input: {}, fileIds: ["nope"] }, opt("user")), "BAD_REQUEST", 400);
    expectError(await m("executions.create", { input: {} }, opt("user")), "BAD_REQUEST", 400, /Invalid input/);
    expectError(await m("executions.create", { promptId: prompt.id, input: {} }, opt("viewer")), "FORBIDDEN", 403, /needs the user role/);
    // A key with the scope but owned by a viewer: the role still applies.
    expectError(await m("executions.create", { promptId: prompt.id, input: {} }, opt("keyViewerRun")), "FORBIDDEN", 403, /needs the user role/);
    expectError(await m("executions.create", { promptId: prompt.id, input: {} }, opt("keyRead")), "FORBIDDEN", 403, /lacks the "executions:run" scope/);
    // Another tenant's prompt and files are unknown here.
    expectError(await m("executions.create", { promptId: prompt.id, input: {} }, globexUser), "NOT_FOUND", 404);
    expect(await inAcme(() => executionModel.count())).toBe(before);
  });

  test("list filters by status, prompt and deployment and paginates newest first; get; stats", async () => {
    const deployment = expectOk(
      await m<DeploymentRow>(
        "deployments.create",
        { name: `exec-dep-${Date.now()}`, promptId: prompt.id, provider: "template", model: "mustache" },
        opt("admin"),
      ),
    );
    const viaDeployment = expectOk(await m<ExecutionRow>("executions.create", { deploymentId: deployment.id, input: { name: "D" } }, opt("user")));
    expect(viaDeployment).toMatchObject({ deploymentId: deployment.id, promptId: prompt.id, promptVersion: 2 });

    const byPrompt = expectOk(await q<Page<ExecutionRow>>("executions.list", { promptId: prompt.id }, opt("viewer")));
    expect(byPrompt.total).toBe(3);
    expect(byPrompt.data[0]?.id).toBe(viaDeployment.id);
    const byDeployment = expectOk(await q<Page<ExecutionRow>>("executions.list", { deploymentId: deployment.id }, opt("keyAll")));
    expect(byDeployment.data.map((e) => e.id)).toEqual([viaDeployment.id]);
    const paged = expectOk(await q<Page<ExecutionRow>>("executions.list", { promptId: prompt.id, pageSize: 2, page: 2 }, opt("viewer")));
    expect(paged).toMatchObject({ total: 3, totalPages: 2 });
    expect(paged.data).toHaveLength(1);
    const completed = expectOk(await q<Page<ExecutionRow>>("executions.list", { status: "completed" }, opt("viewer")));
    expect(completed.total).toBe(0);
    expectError(await q("executions.list", { status: "done" }, opt("viewer")), "BAD_REQUEST", 400, /status/);
    expect(expectOk(await q<Page<ExecutionRow>>("executions.list", undefined, opt("viewer"))).total).toBeGreaterThanOrEqual(4);

    expect(expectOk(await q<ExecutionRow>("executions.get", { id: viaDeployment.id }, opt("viewer"))).id).toBe(viaDeployment.id);
    expectError(await q("executions.get", { id: UNKNOWN_ID }, opt("viewer")), "NOT_FOUND", 404, /Execution .* does not exist/);
    expectError(await q("executions.get", { id: viaDeployment.id }, globexUser), "NOT_FOUND", 404);
    expectError(await q("executions.get", { id: viaDeployment.id }, opt("keyRead")), "FORBIDDEN", 403, /executions:read/);

    const stats = expectOk(
      await q<{ total: number; byStatus: Record<string, number>; thisMonth: { used: number; limit: number; remaining: number } }>(
        "executions.stats",
        undefined,
        opt("keyAll"),
      ),
    );
    const count = await inAcme(() => executionModel.count());
    expect(stats.total).toBe(count);
    expect(stats.byStatus).toEqual({ pending: count, running: 0, completed: 0, failed: 0, cancelled: 0 });
    expect(stats.thisMonth).toMatchObject({ used: count, limit: acme.tenant.limitExecutionsPerMonth, remaining: acme.tenant.limitExecutionsPerMonth - count });
    expectError(await q("executions.stats", undefined, opt("keyRead")), "FORBIDDEN", 403);
  });
});

describe("files", () => {
  test("upload stores bytes, returns metadata only; list/get never return bytes; download round-trips; usage counts", async () => {
    const usageBefore = expectOk(await q<{ usedBytes: number; limitBytes: number }>("files.usage", undefined, opt("viewer")));
    const text = "hello, files ✓";
    const meta = expectOk(await m<FileMeta>("files.upload", { name: "notes.txt", mimeType: "text/plain", contentBase64: b64(text), tags: ["a"] }, opt("user")));
    expect(meta).toMatchObject({ name: "notes.txt", mimeType: "text/plain", size: Buffer.byteLength(text), tags: ["a"], uploadedBy: acme.users.user.id });
    expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta).not.toHaveProperty("content");

    const listed = expectOk(await q<Page<FileMeta>>("files.list", { query: "notes" }, opt("viewer")));
    expect(listed.data.map((f) => f.id)).toContain(meta.id);
    for (const file of listed.data) expect(Object.keys(file)).not.toContain("content");
    const got = expectOk(await q<FileMeta>("files.get", { id: meta.id }, opt("viewer")));
    expect(got).toEqual(expect.objectContaining({ id: meta.id, size: meta.size }));
    expect(got).not.toHaveProperty("content");
    const downloaded = expectOk(
      await q<{ name: string; mimeType: string; size: number; contentBase64: string }>("files.download", { id: meta.id }, opt("viewer")),
    );
    expect(downloaded).toMatchObject({ name: "notes.txt", mimeType: "text/plain", size: meta.size });
    expect(Buffer.from(downloaded.contentBase64, "base64").toString()).toBe(text);
    const usage = expectOk(await q<{ usedBytes: number; limitBytes: number; remainingBytes: number }>("files.usage", undefined, opt("viewer")));
    expect(usage.usedBytes).toBe(usageBefore.usedBytes + meta.size);
    expect(usage.limitBytes).toBe(acme.tenant.limitStorageMb * 1024 * 1024);

    // With the files:upload scope an API key uploads; a key without it, or a viewer, cannot.
    expectOk(await m("files.upload", { name: "k.bin", mimeType: "application/octet-stream", contentBase64: b64("key") }, opt("keyAll")));
    expectError(
      await m("files.upload", { name: "k.bin", mimeType: "application/octet-stream", contentBase64: b64("x") }, opt("keyRead")),
      "FORBIDDEN",
      403,
      /files:upload/,
    );
    expectError(await m("files.upload", { name: "v.bin", mimeType: "application/octet-stream", contentBase64: b64("x") }, opt("viewer")), "FORBIDDEN", 403);
    expectError(
      await m("files.upload", { name: "v.bin", mimeType: "application/octet-stream", contentBase64: b64("x") }, opt("keyViewerRun")),
      "FORBIDDEN",
      403,
      /user role/,
    );
    // files.list is for signed-in users only.
    expectError(await q("files.list", {}, opt("keyAll")), "FORBIDDEN", 403, /API keys cannot perform it/);
    // Another tenant sees nothing of it.
    expectError(await q("files.download", { id: meta.id }, globexUser), "NOT_FOUND", 404);
    expect(expectOk(await q<Page<FileMeta>>("files.list", {}, globexUser)).total).toBe(0);
  });

  test("bad uploads: invalid base64, empty, oversize, bad names and MIME types → clear errors, nothing stored", async () => {
    const before = await inAcme(() => fileModel.totalBytes());
    const count = await inAcme(() => fileModel.count());
    const upload = (input: Record<string, unknown>) => m("files.upload", { name: "f.bin", mimeType: "application/octet-stream", ...input }, opt("user"));
    expectError(await upload({ contentBase64: "not base64!" }), "BAD_REQUEST", 400, /contentBase64: The content must be base64/);
    expectError(await upload({ contentBase64: "YWJj=" }), "BAD_REQUEST", 400, /base64/);
    expectError(await upload({ contentBase64: "" }), "BAD_REQUEST", 400, /The file is empty/);
    expectError(await upload({ name: "../etc/passwd", contentBase64: b64("x") }), "BAD_REQUEST", 400, /cannot contain/);
    expectError(await upload({ mimeType: "text", contentBase64: b64("x") }), "BAD_REQUEST", 400, /Not a MIME type/);
    // One byte over 10 MB passes the string-length check and is refused after decoding…
    const justOver = Buffer.alloc(MAX_FILE_BYTES + 1, 7).toString("base64");
    expectError(await upload({ contentBase64: justOver }), "PAYLOAD_TOO_LARGE", 413, /one upload is at most 10\.00 MB/);
    // …and a longer string by the validator.
    const wayOver = Buffer.alloc(MAX_FILE_BYTES + 4096, 7).toString("base64");
    expectError(await upload({ contentBase64: wayOver }), "BAD_REQUEST", 400, /larger than 10 MB/);
    expect(await inAcme(() => fileModel.totalBytes())).toBe(before);
    expect(await inAcme(() => fileModel.count())).toBe(count);
  });

  test("get/download/delete of unknown ids → 404; viewer delete → 403; delete is audited and frees storage", async () => {
    expectError(await q("files.get", { id: UNKNOWN_ID }, opt("viewer")), "NOT_FOUND", 404, /File .* does not exist/);
    expectError(await q("files.download", { id: UNKNOWN_ID }, opt("viewer")), "NOT_FOUND", 404);
    expectError(await m("files.delete", { id: UNKNOWN_ID }, opt("user")), "NOT_FOUND", 404);
    const meta = expectOk(await m<FileMeta>("files.upload", { name: "gone_100%.txt", mimeType: "text/plain", contentBase64: b64("bye") }, opt("user")));
    expect(expectOk(await q<Page<FileMeta>>("files.list", { query: "_100%" }, opt("viewer"))).data.map((f) => f.id)).toEqual([meta.id]);
    expectError(await m("files.delete", { id: meta.id }, opt("viewer")), "FORBIDDEN", 403);
    expectError(await m("files.delete", { id: meta.id }, globexUser), "NOT_FOUND", 404);
    const used = await inAcme(() => fileModel.totalBytes());
    expect(expectOk(await m<{ ok: boolean }>("files.delete", { id: meta.id }, opt("user"))).ok).toBe(true);
    expect(await inAcme(() => fileModel.totalBytes())).toBe(used - meta.size);
    expectError(await q("files.get", { id: meta.id }, opt("viewer")), "NOT_FOUND", 404);
    const audit = await inAcme(() => auditLogModel.findMany({ where: { action: "file.deleted", targetId: meta.id } }));
    expect(audit[0]?.details).toMatchObject({ name: "gone_100%.txt", size: 3 });
  });
});

describe("deployments", () => {
  let prompt: PromptRow;
  beforeAll(async () => {
    prompt = await newPrompt(opt("user"), { name: `deploy-${Date.now()}` });
    await m("prompts.update", { id: prompt.id, template: "second {{name}}" }, opt("user"));
    // A model provider whose options (Anthropic's names and ranges) a deployment may set.
    await inAcme(() =>
      settingsModel.upsert("provider", "acme-claude", { kind: "anthropic", baseUrl: "https://api.anthropic.com", apiKey: "sk-x", defaultModel: "claude" }),
    );
  });

  test("admins create, list, get, update and delete; names are unique", async () => {
    const created = expectOk(
      await m<DeploymentRow>(
        "deployments.create",
        { name: "support-bot", promptId: prompt.id, promptVersion: 1, provider: "acme-claude", model: "claude-x", options: { temperature: 0 } },
        opt("admin"),
      ),
    );
    expect(created).toMatchObject({ name: "support-bot", promptVersion: 1, options: { temperature: 0 }, createdBy: acme.users.admin.id });
    expectError(
      await m("deployments.create", { name: "support-bot", promptId: prompt.id, provider: "template", model: "m" }, opt("admin")),
      "CONFLICT",
      409,
      /A deployment named "support-bot" already exists/,
    );
    const second = expectOk(
      await m<DeploymentRow>("deployments.create", { name: "another", promptId: prompt.id, provider: "template", model: "m" }, opt("admin")),
    );

    const listed = expectOk(await q<Page<DeploymentRow>>("deployments.list", { promptId: prompt.id }, opt("viewer")));
    expect(listed.data.map((d) => d.name)).toEqual(["another", "support-bot"]);
    expect(expectOk(await q<DeploymentRow>("deployments.get", { id: created.id }, opt("viewer"))).name).toBe("support-bot");

    const updated = expectOk(await m<DeploymentRow>("deployments.update", { id: created.id, promptVersion: null, model: "m2" }, opt("admin")));
    expect(updated).toMatchObject({ promptVersion: null, model: "m2", name: "support-bot" });
    expectError(await m("deployments.update", { id: created.id, name: "another" }, opt("admin")), "CONFLICT", 409, /"another" already exists/);
    expectError(await m("deployments.update", { id: created.id, promptVersion: 9 }, opt("admin")), "NOT_FOUND", 404, /no version 9/);
    expectError(await m("deployments.update", { id: UNKNOWN_ID, model: "x" }, opt("admin")), "NOT_FOUND", 404);
    expect(await inAcme(() => deploymentModel.findById(created.id))).toMatchObject({ name: "support-bot", promptVersion: null, model: "m2" });

    // Deleting keeps past executions, without their deployment.
    const execution = expectOk(await m<ExecutionRow>("deployments.run", { name: "another", input: {} }, opt("user")));
    expect(expectOk(await m<{ ok: boolean }>("deployments.delete", { id: second.id }, opt("admin"))).ok).toBe(true);
    expectError(await q("deployments.get", { id: second.id }, opt("viewer")), "NOT_FOUND", 404);
    expect(await inAcme(() => executionModel.findById(execution.id))).toMatchObject({ deploymentId: null, promptId: prompt.id });
    expectError(await m("deployments.delete", { id: second.id }, opt("admin")), "NOT_FOUND", 404);
    const actions = await auditActions();
    for (const action of ["deployment.created", "deployment.updated", "deployment.deleted"]) expect(actions).toContain(action);
  });

  test("refusals: users and viewers cannot manage; unknown prompt/version/provider; bad names; nothing written", async () => {
    const before = await inAcme(() => deploymentModel.count());
    const input = { name: "nope", promptId: prompt.id, provider: "template", model: "m" };
    expectError(await m("deployments.create", input, opt("user")), "FORBIDDEN", 403, /needs the admin role; you are a user/);
    expectError(await m("deployments.create", input, opt("viewer")), "FORBIDDEN", 403);
    expectError(await m("deployments.create", input, opt("keyAdminAll")), "FORBIDDEN", 403, /API keys cannot perform it/);
    expectError(await m("deployments.create", { ...input, promptId: UNKNOWN_ID }, opt("admin")), "NOT_FOUND", 404, /Prompt .* does not exist/);
    expectError(await m("deployments.create", { ...input, promptVersion: 3 }, opt("admin")), "NOT_FOUND", 404, /no version 3/);
    expectError(await m("deployments.create", { ...input, provider: "acme-llm" }, opt("admin")), "BAD_REQUEST", 400, /No provider "acme-llm" is configured/);
    expectError(await m("deployments.create", { ...input, name: "Bad Name" }, opt("admin")), "BAD_REQUEST", 400, /name: Use lower-case letters/);
    expectError(await m("deployments.create", { ...input, options: { big: 10n } }, opt("admin")), "BAD_REQUEST", 400, /options\.big is a BigInt/);
    expectError(
      await m("deployments.create", { ...input, options: { temperature: 0 } }, opt("admin")),
      "BAD_REQUEST",
      400,
      /template provider takes no options/,
    );
    expectError(
      await m("deployments.create", { ...input, provider: "acme-claude", options: { temperature: 2 } }, opt("admin")),
      "BAD_REQUEST",
      400,
      /^Options for a provider of kind anthropic are not valid: temperature: Enter 1 or less\.$/,
    );
    expect(await inAcme(() => deploymentModel.count())).toBe(before);
    const existing = await inAcme(() => deploymentModel.findByName("support-bot"));
    if (!existing) throw new Error("support-bot missing");
    expectError(await m("deployments.update", { id: existing.id, model: "x" }, opt("user")), "FORBIDDEN", 403);
    expectError(await m("deployments.delete", { id: existing.id }, opt("user")), "FORBIDDEN", 403);
    expectError(await q("deployments.get", { id: existing.id }, globexUser), "NOT_FOUND", 404);
    expect(await inAcme(() => deploymentModel.findById(existing.id))).toMatchObject({ model: "m2" });
  });

  test("run by name creates a pending execution from the deployment; scope and role apply; unknown name → 404", async () => {
    const execution = expectOk(await m<ExecutionRow>("deployments.run", { name: "support-bot", input: { name: "R" } }, opt("keyAll")));
    const deployment = await inAcme(() => deploymentModel.findByName("support-bot"));
    expect(execution).toMatchObject({
      status: "pending",
      deploymentId: deployment?.id,
      promptId: prompt.id,
      promptVersion: 2,
      provider: "acme-claude",
      model: "m2",
      input: { name: "R" },
      // The deployment's options, fixed on the execution.
      options: { temperature: 0 },
    });
    expectError(
      await m("deployments.run", { name: "support-bot", input: {}, fileIds: [UNKNOWN_ID] }, opt("user")),
      "BAD_REQUEST",
      400,
      /does not accept files/,
    );
    expectError(await m("deployments.run", { name: "no-such-bot", input: {} }, opt("user")), "NOT_FOUND", 404, /No deployment is named "no-such-bot"/);
    expectError(await m("deployments.run", { name: "support-bot", input: {} }, opt("viewer")), "FORBIDDEN", 403);
    expectError(await m("deployments.run", { name: "support-bot", input: {} }, opt("keyRead")), "FORBIDDEN", 403, /deployments:run/);
    expectError(await m("deployments.run", { name: "support-bot", input: {} }, globexUser), "NOT_FOUND", 404);
  });
});

describe("settings: provider and webhook URLs on refused addresses", () => {
  test("an IP literal (any spelling) or localhost the outbound guard refuses is refused when saved, unless SIGIL_OUTBOUND_ALLOW names it", async () => {
    const save = (baseUrl: string) => m("settings.saveProvider", { identifier: "local-llm", baseUrl, apiKey: "k-123456789", defaultModel: "m" }, opt("admin"));
    for (const baseUrl of [
      "http://127.0.0.1:11434/v1",
      "http://2130706433:11434/",
      "http://0x7f.1:11434/",
      "http://[::ffff:127.0.0.1]:11434/",
      "http://localhost:11434/v1",
      "http://169.254.169.254/",
      "http://10.1.2.3/v1",
      "http://[fd00:ec2::254]/",
    ]) {
      expectError(
        await save(baseUrl),
        "BAD_REQUEST",
        400,
        /^The base URL points to an? [a-z -]+ address; Sigil connects only to public addresses\. .*SIGIL_OUTBOUND_ALLOW/,
      );
    }
    expectError(
      await m("settings.saveWebhook", { identifier: "internal-hook", url: "http://192.168.0.10/hook", events: ["execution.completed"] }, opt("admin")),
      "BAD_REQUEST",
      400,
      /^The webhook URL points to a private address/,
    );
    expect(await inAcme(() => settingsModel.get("provider", "local-llm"))).toBeNull();
    // Names are not resolved when saving (no probing of internal DNS); the worker's guard checks them.
    expectOk(await save("https://llm.internal.example/v1"));
    // The operator's allow-list lets a local model server through.
    process.env.SIGIL_OUTBOUND_ALLOW = "localhost:11434";
    try {
      expectOk(await save("http://localhost:11434/v1"));
      expectError(await save("http://localhost:11435/v1"), "BAD_REQUEST", 400);
    } finally {
      delete process.env.SIGIL_OUTBOUND_ALLOW;
    }
    expectOk(await m("settings.delete", { type: "provider", identifier: "local-llm" }, opt("admin")));
  });
});

describe("a prompt deleted while it is being deployed or run", () => {
  const ROUNDS = 24;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test("deleting a prompt and creating its deployment at once: one wins, the other is refused with 409; never a lost deployment or a 500", async () => {
    const outcomes = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const target = await newPrompt(opt("user"));
      // Stagger the two requests by 0–2 ms either way so the rounds cover every interleaving.
      const skew = (round % 5) - 2;
      const [deleted, deployed] = await Promise.all([
        pause(Math.max(0, skew)).then(() => m("prompts.delete", { id: target.id }, opt("admin"))),
        pause(Math.max(0, -skew)).then(() =>
          m<DeploymentRow>(
            "deployments.create",
            { name: `race-${round}-${Date.now()}`, promptId: target.id, provider: "template", model: "mustache" },
            opt("admin"),
          ),
        ),
      ]);
      const outcome = `delete ${deleted.status} ${JSON.stringify(deleted.error?.data.code ?? "")} / deploy ${deployed.status} ${JSON.stringify(deployed.error?.data.code ?? "")}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      expect([deleted.status, deployed.status], outcome).not.toContain(500);
      if (!deployed.error) {
        // The client was told the deployment exists: it must, with its prompt.
        expectError(deleted, "CONFLICT", 409, /is used by deployment "race-/);
        const row = await inAcme(() => deploymentModel.findById(deployed.data?.id ?? ""));
        expect(row, outcome).not.toBeNull();
        expect(await inAcme(() => promptModel.findById(target.id))).not.toBeNull();
        expectOk(await m("deployments.delete", { id: row?.id }, opt("admin")));
      } else {
        expect(deleted.error, outcome).toBeUndefined();
        // Refused because the prompt was gone: before the check (404) or between check and insert (409).
        expect(["NOT_FOUND", "CONFLICT"], outcome).toContain(deployed.error.data.code);
        expect(await inAcme(() => deploymentModel.count({ promptId: target.id }))).toBe(0);
      }
    }
    console.log("prompt delete vs deployment create:", Object.fromEntries(outcomes));
  });

  /**
   * Forces the interleavings the loop above may miss: the other request runs to completion right
   * after one request's existence check (prompt version read, or the deployments check of a
   * delete) and before its write.
   */
  test("forced interleavings: the prompt deleted between a deployment's (or execution's) check and insert → 409; a deployment created during a delete is kept", async () => {
    // 1. deployments.create reads the prompt version, then the prompt is deleted, then it inserts.
    const first = await newPrompt(opt("user"));
    const getVersion = vi.spyOn(promptModel, "getVersion");
    getVersion.mockImplementationOnce(async (promptId, version) => {
      const row = await promptModel.getVersion(promptId, version);
      expectOk(await m("prompts.delete", { id: first.id }, opt("admin")));
      return row;
    });
    const deployment = await m("deployments.create", { name: `late-${Date.now()}`, promptId: first.id, provider: "template", model: "m" }, opt("admin"));
    expectError(deployment, "CONFLICT", 409, /was deleted while the deployment was being created; nothing was saved/);

    // 2. The same for executions.create.
    const second = await newPrompt(opt("user"));
    getVersion.mockImplementationOnce(async (promptId, version) => {
      const row = await promptModel.getVersion(promptId, version);
      expectOk(await m("prompts.delete", { id: second.id }, opt("user")));
      return row;
    });
    const execution = await m("executions.create", { promptId: second.id, input: {} }, opt("user"));
    expectError(execution, "CONFLICT", 409, /deleted while the execution was being created; nothing was saved/);
    getVersion.mockRestore();

    // 3. A deployment created while the delete runs: whatever the delete read before, the deployment survives.
    const third = await newPrompt(opt("user"));
    let created: CallResult<DeploymentRow> | undefined;
    const arm = (model: { findMany: (...args: never[]) => Promise<unknown> }) => {
      const spy = vi.spyOn(model, "findMany").mockImplementationOnce(async (...args: never[]) => {
        spy.mockRestore();
        const rows = await model.findMany(...args);
        created = await m<DeploymentRow>(
          "deployments.create",
          { name: `during-${Date.now()}`, promptId: third.id, provider: "template", model: "m" },
          opt("admin"),
        );
        return rows;
      });
      return spy;
    };
    const spy = arm(deploymentModel);
    const deleted = await m("prompts.delete", { id: third.id }, opt("admin"));
    spy.mockRestore();
    if (created) {
      // The delete had a gap between its deployments check and its write, and a deployment got in.
      const kept = expectOk(created);
      expect(await inAcme(() => deploymentModel.findById(kept.id))).not.toBeNull();
      expectError(deleted, "CONFLICT", 409, /is used by deployment "during-/);
      expect(await inAcme(() => promptModel.findById(third.id))).not.toBeNull();
    } else {
      // Check and delete are one transaction: nothing can get in between; a deployment after it is refused.
      expectOk(deleted);
      const late = await m("deployments.create", { name: `after-${Date.now()}`, promptId: third.id, provider: "template", model: "m" }, opt("admin"));
      expectError(late, "NOT_FOUND", 404);
    }
    expect(await inAcme(() => deploymentModel.count({ promptId: third.id }))).toBe(created ? 1 : 0);
  });

  test("a write that refers to a deleted prompt answers 409 CONFLICT with a sentence, not 500", async () => {
    const target = await newPrompt(opt("user"));
    const results = await Promise.all([
      m("prompts.delete", { id: target.id }, opt("user")),
      ...Array.from({ length: 10 }, (_, i) =>
        pause(i % 3).then(() => m("executions.create", { promptId: target.id, input: { name: String(i) } }, opt("user"))),
      ),
    ]);
    for (const result of results) {
      expect(result.status).not.toBe(500);
      if (result.error) expect(["NOT_FOUND", "CONFLICT"]).toContain(result.error.data.code);
    }
    // The model layer turns SQLite's FOREIGN KEY failure into a ConflictError (409) with a message.
    const orphan = inAcme(() => deploymentModel.create({ name: `orphan-${Date.now()}`, promptId: UNKNOWN_ID, provider: "template", model: "m", options: {} }));
    await expect(orphan).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/refers to something that was deleted meanwhile; nothing was saved/) as unknown,
    });
  });
});

describe("audit", () => {
  async function newRows(since: Date, action: string): Promise<AuditLogRow[]> {
    return inAcme(() => auditLogModel.findMany({ where: (t) => and(eq(t.action, action), gte(t.createdAt, since)), orderBy: { column: "createdAt" } }));
  }

  test("uploads, downloads by API key, deletions and settings changes are audited with details and never a secret", async () => {
    const since = new Date();
    // Upload (by API key) and downloads: an API key's download is audited, the web app's (a session) is not.
    const file = expectOk(await m<FileMeta>("files.upload", { name: "audit.txt", mimeType: "text/plain", contentBase64: b64("audited bytes") }, opt("keyAll")));
    expectOk(await q("files.download", { id: file.id }, opt("keyAll")));
    expectOk(await q("files.download", { id: file.id }, opt("user")));
    // A key without the files:download scope cannot download (and nothing is audited for it).
    expectError(await q("files.download", { id: file.id }, opt("keyRead")), "FORBIDDEN", 403, /files:download/);
    expectOk(await m("files.delete", { id: file.id }, opt("user")));
    const [uploaded] = await newRows(since, "file.uploaded");
    expect(uploaded).toMatchObject({
      actorType: "api_key",
      targetType: "file",
      targetId: file.id,
      details: { name: "audit.txt", mimeType: "text/plain", size: 13, sha256: file.sha256 },
    });
    const downloads = await newRows(since, "file.downloaded");
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({
      actorType: "api_key",
      targetId: file.id,
      details: { name: "audit.txt", size: 13, apiKeyName: expect.any(String) as unknown },
    });
    expect(await newRows(since, "file.deleted")).toMatchObject([
      { actorType: "user", actorId: acme.users.user.id, targetId: file.id, details: { name: "audit.txt", size: 13 } },
    ]);

    // Prompt and deployment deletions say what went with them.
    const prompt = await newPrompt(opt("user"));
    await m("prompts.update", { id: prompt.id, template: "v2" }, opt("user"));
    expectOk(await m("executions.create", { promptId: prompt.id, input: {} }, opt("user")));
    const deployment = expectOk(
      await m<DeploymentRow>("deployments.create", { name: `audited-${Date.now()}`, promptId: prompt.id, provider: "template", model: "m" }, opt("admin")),
    );
    expectOk(await m("deployments.delete", { id: deployment.id }, opt("admin")));
    expectOk(await m("prompts.delete", { id: prompt.id }, opt("user")));
    expect(await newRows(since, "deployment.deleted")).toMatchObject([{ targetId: deployment.id, details: { name: deployment.name } }]);
    expect(await newRows(since, "prompt.deleted")).toMatchObject([{ targetId: prompt.id, details: { name: prompt.name, versions: 2, executions: 1 } }]);

    // Settings: saved and deleted, with what changed; never the key, nor a URL's path, query or user info.
    const secretKey = "sk-audit-very-secret-0042";
    const provider = {
      identifier: "audited-llm",
      baseUrl: "https://bob:hunter2@llm.example.com/v1?token=tok-in-query",
      apiKey: secretKey,
      defaultModel: "gpt-x",
    };
    expectOk(await m("settings.saveProvider", provider, opt("admin")));
    expectOk(await m("settings.saveProvider", { ...provider, apiKey: undefined, defaultModel: "gpt-y" }, opt("admin")));
    const webhook = {
      identifier: "audited-hook",
      url: "https://hooks.slack.com/services/T000/B000/slack-secret-path",
      events: ["execution.completed"],
      enabled: true,
    };
    expectOk(await m("settings.saveWebhook", webhook, opt("admin")));
    expectOk(await m("settings.delete", { type: "provider", identifier: "audited-llm" }, opt("admin")));
    expectOk(await m("settings.delete", { type: "webhook", identifier: "audited-hook" }, opt("admin")));
    expect(await newRows(since, "settings.provider_saved")).toMatchObject([
      {
        actorType: "user",
        actorId: acme.users.admin.id,
        details: { identifier: "audited-llm", created: true, baseUrl: "https://llm.example.com", defaultModel: "gpt-x", keyChanged: true },
      },
      { details: { identifier: "audited-llm", created: false, defaultModel: "gpt-y", keyChanged: false } },
    ]);
    expect(await newRows(since, "settings.webhook_saved")).toMatchObject([
      { details: { identifier: "audited-hook", created: true, url: "https://hooks.slack.com", events: ["execution.completed"], enabled: true } },
    ]);
    expect((await newRows(since, "settings.deleted")).map((row) => row.details)).toEqual([
      { type: "provider", identifier: "audited-llm" },
      { type: "webhook", identifier: "audited-hook" },
    ]);
    const everything = JSON.stringify(await inAcme(() => auditLogModel.findMany()));
    for (const secret of [secretKey, "hunter2", "tok-in-query", "slack-secret-path", "audited bytes", b64("audited bytes")]) {
      expect(everything).not.toContain(secret);
    }
  });

  test("admins list newest first, filter by action prefix, paginate; others are refused", async () => {
    const all = expectOk(await q<Page<AuditLogRow>>("audit.list", { pageSize: 100 }, opt("admin")));
    expect(all.total).toBeGreaterThan(10);
    const times = all.data.map((row) => new Date(row.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const prompts = expectOk(await q<Page<AuditLogRow>>("audit.list", { action: "prompt.", pageSize: 100 }, opt("admin")));
    expect(prompts.total).toBeGreaterThan(0);
    expect(prompts.data.every((row) => row.action.startsWith("prompt."))).toBe(true);
    expect(new Set(prompts.data.map((row) => row.action))).toEqual(new Set(["prompt.created", "prompt.updated", "prompt.restored", "prompt.deleted"]));
    const logins = expectOk(await q<Page<AuditLogRow>>("audit.list", { action: "auth.login" }, opt("admin")));
    expect(logins.data.every((row) => row.action.startsWith("auth.login"))).toBe(true);
    // "_" is literal, not a wildcard.
    expect(expectOk(await q<Page<AuditLogRow>>("audit.list", { action: "prompt_" }, opt("admin"))).total).toBe(0);

    const page2 = expectOk(await q<Page<AuditLogRow>>("audit.list", { page: 2, pageSize: 5 }, opt("admin")));
    expect(page2.data.map((row) => row.id)).toEqual(all.data.slice(5, 10).map((row) => row.id));
    expect(expectOk(await q<Page<AuditLogRow>>("audit.list", undefined, opt("admin"))).pageSize).toBe(20);

    expectError(await q("audit.list", {}, opt("user")), "FORBIDDEN", 403, /needs the admin role/);
    expectError(await q("audit.list", {}, opt("viewer")), "FORBIDDEN", 403);
    expectError(await q("audit.list", {}, opt("keyAdminAll")), "FORBIDDEN", 403, /API keys cannot perform it/);
    expectError(await q("audit.list", { action: "x%" }, opt("admin")), "BAD_REQUEST", 400, /action/);
    // globex's admin sees only globex's trail.
    const globexAdmin = { tenant: "globex", cookie: await login("globex", "admin@globex.test") };
    const theirs = expectOk(await q<Page<AuditLogRow>>("audit.list", { pageSize: 100 }, globexAdmin));
    const ours = new Set(all.data.map((row) => row.id));
    expect(theirs.data.some((row) => ours.has(row.id))).toBe(false);
    expect(theirs.data.every((row) => row.action.startsWith("auth."))).toBe(true);
  });
});
