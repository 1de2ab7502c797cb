import { apiKeyModel, tenantContext, type TenantRow, type UserRow } from "@sigil/db";
import { API_KEY_SCOPES, type ApiKeyScope } from "@sigil/validators";
import type { OpenAPIObject } from "trpc-to-openapi";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../src/auth/api-key-format.ts";
import { readApiConfig } from "../src/config.ts";
import { readEdgeConfig } from "../src/http/edge.ts";
import { startApiServer } from "../src/http/node-server.ts";
import { enterMaintenance, leaveMaintenance } from "../src/services/tenant-maintenance.ts";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";
import { RestContract } from "./rest-contract.ts";

/**
 * The REST API (src/http/rest-handler.ts) through the real HTTP edge and Node handler: every
 * route is called, and every answer (errors included) is checked against the OpenAPI document
 * the server itself serves (rest-contract.ts).
 */
let env: TestEnv;
let server: Awaited<ReturnType<typeof startApiServer>>;
let contract: RestContract;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
let key: string;
let readOnlyKey: string;
let globexKey: string;
let adminCookie: string;
const UPLOAD_LIMIT = 64 * 1024;
const BODY_LIMIT = 8 * 1024;

async function apiKeyFor(tenant: TenantRow, owner: UserRow, scopes: readonly ApiKeyScope[]): Promise<string> {
  const made = generateApiKey("tenant");
  await tenantContext.runWithTenant(tenant.id, () =>
    apiKeyModel.create({ userId: owner.id, name: `rest ${scopes.join(",")}`, keyId: made.keyId, secretHash: made.secretHash, scopes: [...scopes] }),
  );
  return made.plain;
}

interface RestAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

interface RestOptions {
  body?: unknown;
  key?: string | null;
  tenant?: string | null;
  headers?: Record<string, string>;
  /** Checked against this operation of the document ("GET /prompts/{id}"). */
  operation?: string;
}

/** One REST call to acme (x-tenant-id) with the full-scope key, unless the options say otherwise. */
async function rest(method: string, path: string, options: RestOptions = {}): Promise<RestAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  const tenant = options.tenant === undefined ? "acme" : options.tenant;
  if (tenant !== null) headers["x-tenant-id"] = tenant;
  const apiKey = options.key === undefined ? key : options.key;
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const body = (await response.json()) as Record<string, unknown>;
  if (options.operation) contract.check(options.operation, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  const globex = await createTenantWithUsers("globex");
  key = await apiKeyFor(acme.tenant, acme.users.user, API_KEY_SCOPES);
  readOnlyKey = await apiKeyFor(acme.tenant, acme.users.user, ["prompts:read"]);
  globexKey = await apiKeyFor(globex.tenant, globex.users.user, API_KEY_SCOPES);
  adminCookie = await login("acme", "admin@acme.test");
  const edge = readEdgeConfig({ MAX_BODY_BYTES: String(BODY_LIMIT), MAX_UPLOAD_BODY_BYTES: String(UPLOAD_LIMIT) });
  server = await startApiServer(0, "127.0.0.1", edge, { config: readApiConfig({ MAX_UPLOAD_BODY_BYTES: String(UPLOAD_LIMIT) }) });
  const spec = await fetch(`${server.url}/api/v1/openapi.json`);
  contract = new RestContract((await spec.json()) as OpenAPIObject);
});
afterAll(async () => {
  await server.close();
  env.cleanup();
});

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1 with this host's servers, the key and session schemes, and every route the API promises", () => {
    const document = contract.document;
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers?.map((server) => server.url)).toEqual([`${server.url}/api/v1`, `${server.url}/tenant/{tenant}/api/v1`]);
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(["apiKey", "apiKeyHeader", "session"]);
    expect(contract.operations().sort()).toEqual(
      [
        "GET /executions",
        "GET /executions/{id}",
        "GET /files/{id}/content",
        "GET /prompt-versions/by-name",
        "GET /prompts",
        "GET /prompts/{id}",
        "POST /deployments/{name}/run",
        "POST /executions",
        "POST /executions/{id}/cancel",
        "POST /executions/{id}/review",
        "POST /files",
        "GET /datasets",
        "GET /datasets/{id}",
        "GET /datasets/{datasetId}/items",
        "GET /datasets/{id}/export",
        "POST /batch-runs",
        "GET /batch-runs",
        "GET /batch-runs/{id}",
        "POST /batch-runs/{id}/cancel",
        "GET /batch-runs/{id}/results",
        "GET /providers",
        "GET /providers/{identifier}/models",
      ].sort(),
    );
  });

  test("gives every operation a summary, a tag, security, the tenant header and its error answers", () => {
    for (const item of Object.values(contract.document.paths ?? {})) {
      for (const operation of [item.get, item.post].filter((value) => value !== undefined)) {
        expect(operation.summary, operation.operationId).toBeTruthy();
        expect(operation.tags?.length, operation.operationId).toBe(1);
        expect(operation.security?.length, operation.operationId).toBe(3);
        expect(operation.parameters, operation.operationId).toContainEqual({ $ref: "#/components/parameters/tenant" });
        expect(Object.keys(operation.responses ?? {}), operation.operationId).toEqual(
          expect.arrayContaining(["200", "400", "401", "403", "404", "429", "503"]),
        );
      }
    }
  });
});

describe("every route, checked against the document", () => {
  let promptId: string;
  let fileId: string;

  beforeAll(async () => {
    const created = await call<{ id: string }>(
      "mutation",
      "prompts.create",
      { name: "Welcome mail", template: "Hello {{name}}" },
      { tenant: "acme", cookie: adminCookie },
    );
    promptId = created.data?.id ?? "";
    await call("mutation", "prompts.update", { id: promptId, template: "Hi {{name}}!" }, { tenant: "acme", cookie: adminCookie });
    await call(
      "mutation",
      "deployments.create",
      { name: "production", promptId, promptVersion: 1, provider: "template", model: "template" },
      { tenant: "acme", cookie: adminCookie },
    );
    await call(
      "mutation",
      "deployments.create",
      { name: "latest", promptId, promptVersion: null, provider: "template", model: "template" },
      { tenant: "acme", cookie: adminCookie },
    );
  });

  test("prompts: list, get by id", async () => {
    const list = await rest("GET", "/api/v1/prompts?pageSize=5&query=welcome", { operation: "GET /prompts" });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 5, data: [{ id: promptId, name: "Welcome mail", currentVersion: 2 }] });
    const one = await rest("GET", `/api/v1/prompts/${promptId}`, { operation: "GET /prompts/{id}" });
    expect(one.body).toMatchObject({ id: promptId, template: "Hi {{name}}!" });
    expect(typeof one.body.createdAt).toBe("string");
  });

  test("prompts by name: the current version, a given version, a deployment's version (pinned or following the latest)", async () => {
    const byName = (query: string) => rest("GET", `/api/v1/prompt-versions/by-name?${query}`, { operation: "GET /prompt-versions/by-name" });
    expect((await byName("name=Welcome%20mail")).body).toMatchObject({ promptId, version: 2, template: "Hi {{name}}!" });
    expect((await byName("name=Welcome%20mail&version=1")).body).toMatchObject({ version: 1, template: "Hello {{name}}" });
    expect((await byName("name=Welcome%20mail&label=production")).body).toMatchObject({ version: 1 });
    expect((await byName("name=Welcome%20mail&label=latest")).body).toMatchObject({ version: 2 });
    const missing = await byName("name=Nope");
    expect(missing).toMatchObject({ status: 404, body: { code: "NOT_FOUND", message: 'No prompt is named "Nope".' } });
    const both = await byName("name=Welcome%20mail&version=1&label=production");
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body.issues)).toContain("Give a version or a label, not both.");
    // tRPC clients get the same procedure.
    const viaTrpc = await call<{ version: number }>(
      "query",
      "prompts.getByName",
      { name: "Welcome mail", label: "production" },
      { tenant: "acme", apiKey: key },
    );
    expect(viaTrpc.data?.version).toBe(1);
  });

  test("datasets and batch runs: list, items, export; start, follow, read the grid, cancel", async () => {
    const userCookie = await login("acme", "user@acme.test");
    const as = { tenant: "acme", cookie: userCookie };
    const dataset = await call<{ id: string }>("mutation", "datasets.create", { name: "REST questions" }, as);
    const datasetId = String(dataset.data?.id);
    await call("mutation", "datasets.addItems", { datasetId, items: [{ variables: { name: "Ada" }, tags: ["a"] }, { variables: { name: "Alan" } }] }, as);
    const listed = await rest("GET", "/api/v1/datasets?query=REST", { operation: "GET /datasets" });
    expect(listed.body).toMatchObject({ total: 1, data: [{ name: "REST questions", itemCount: 2 }] });
    expect((await rest("GET", `/api/v1/datasets/${datasetId}`, { operation: "GET /datasets/{id}" })).body).toMatchObject({ itemCount: 2 });
    const items = await rest("GET", `/api/v1/datasets/${datasetId}/items?pageSize=1`, { operation: "GET /datasets/{datasetId}/items" });
    expect(items.body).toMatchObject({ total: 2, data: [{ position: 0, variables: { name: "Ada" }, tags: ["a"] }] });
    const exported = await rest("GET", `/api/v1/datasets/${datasetId}/export?format=csv`, { operation: "GET /datasets/{id}/export" });
    expect(exported.body).toMatchObject({ fileName: "REST-questions.csv", items: 2, content: "name,expected_output,tags\nAda,,a\nAlan,,\n" });

    const prompt = await call<{ id: string }>("mutation", "prompts.create", { name: "REST batch", template: "Hi {{name}}" }, as);
    const started = await rest("POST", "/api/v1/batch-runs", {
      body: { promptId: prompt.data?.id, datasetId, targets: [{ version: 1 }] },
      operation: "POST /batch-runs",
    });
    expect(started.body).toMatchObject({ status: "running", total: 2, datasetName: "REST questions" });
    const runId = String(started.body.id);
    expect((await rest("GET", `/api/v1/batch-runs?datasetId=${datasetId}`, { operation: "GET /batch-runs" })).body).toMatchObject({ total: 1 });
    expect((await rest("GET", `/api/v1/batch-runs/${runId}`, { operation: "GET /batch-runs/{id}" })).body).toMatchObject({
      progress: { done: 0, total: 2, byStatus: { pending: 2 } },
    });
    const grid = await rest("GET", `/api/v1/batch-runs/${runId}/results`, { operation: "GET /batch-runs/{id}/results" });
    expect(grid.body).toMatchObject({ totalRows: 2, columns: [{ version: 1, provider: "template", totals: { pending: 2 } }] });
    const cancelled = await rest("POST", `/api/v1/batch-runs/${runId}/cancel`, { body: {}, operation: "POST /batch-runs/{id}/cancel" });
    expect(cancelled.body).toMatchObject({ status: "cancelled", progress: { byStatus: { cancelled: 2 } } });
    // Another workspace's key never sees them.
    expect((await rest("GET", `/api/v1/batch-runs/${runId}`, { key: globexKey, tenant: "globex" })).status).toBe(404);
    expect((await rest("GET", `/api/v1/datasets/${datasetId}`, { key: globexKey, tenant: "globex" })).status).toBe(404);
  });

  test("providers: the active ones with kind, default model and options; a model list of one not configured is a 404", async () => {
    const saved = await call(
      "mutation",
      "settings.saveProvider",
      { identifier: "claude", kind: "anthropic", baseUrl: "https://api.anthropic.com", apiKey: "sk-ant-rest-test", defaultModel: "claude-sonnet-4-5" },
      { tenant: "acme", cookie: adminCookie },
    );
    expect(saved.error).toBeUndefined();
    const listed = await rest("GET", "/api/v1/providers", { operation: "GET /providers" });
    expect(listed.body).toEqual([
      {
        identifier: "claude",
        kind: "anthropic",
        kindLabel: "Anthropic (Messages API)",
        defaultModel: "claude-sonnet-4-5",
        optionNames: ["temperature", "top_p", "top_k", "max_tokens", "stop_sequences"],
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain("sk-ant");
    const missing = await rest("GET", "/api/v1/providers/nobody/models", { operation: "GET /providers/{identifier}/models" });
    expect(missing.status).toBe(404);
    expect((await rest("GET", "/api/v1/providers", { key: readOnlyKey })).status).toBe(403);
  });

  test("files: upload, download", async () => {
    const uploaded = await rest("POST", "/api/v1/files", {
      body: { name: "notes.txt", mimeType: "text/plain", contentBase64: b64("hello files") },
      operation: "POST /files",
    });
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toMatchObject({ name: "notes.txt", size: 11 });
    expect(uploaded.body).not.toHaveProperty("content");
    fileId = String(uploaded.body.id);
    const downloaded = await rest("GET", `/api/v1/files/${fileId}/content`, { operation: "GET /files/{id}/content" });
    expect(Buffer.from(String(downloaded.body.contentBase64), "base64").toString()).toBe("hello files");
  });

  test("executions: create (prompt and deployment), get, list; deployments: run by name", async () => {
    const fromPrompt = await rest("POST", "/api/v1/executions", { body: { promptId, input: { name: "Ada" } }, operation: "POST /executions" });
    expect(fromPrompt.body).toMatchObject({ promptId, promptVersion: 2, provider: "template", status: "pending" });
    const deployments = await call<{ data: { id: string; name: string }[] }>("query", "deployments.list", {}, { tenant: "acme", cookie: adminCookie });
    const production = deployments.data?.data.find((deployment) => deployment.name === "production");
    const fromDeployment = await rest("POST", "/api/v1/executions", { body: { deploymentId: production?.id, input: {} }, operation: "POST /executions" });
    expect(fromDeployment.body).toMatchObject({ deploymentId: production?.id, promptVersion: 1 });
    const run = await rest("POST", "/api/v1/deployments/latest/run", { body: { input: { name: "Grace" } }, operation: "POST /deployments/{name}/run" });
    expect(run.body).toMatchObject({ promptVersion: 2, input: { name: "Grace" }, status: "pending" });
    const got = await rest("GET", `/api/v1/executions/${String(run.body.id)}`, { operation: "GET /executions/{id}" });
    expect(got.body).toMatchObject({ id: run.body.id });
    const list = await rest("GET", `/api/v1/executions?promptId=${promptId}&status=pending&page=1&pageSize=2`, { operation: "GET /executions" });
    expect(list.body).toMatchObject({ total: 3, pageSize: 2, totalPages: 2 });
    const neither = await rest("POST", "/api/v1/executions", { body: { input: {} }, operation: "POST /executions" });
    expect(neither.status).toBe(400);
    expect(JSON.stringify(neither.body.issues)).toContain("Give either promptId or deploymentId");
    const unknownDeployment = await rest("POST", "/api/v1/deployments/nope/run", { body: {}, operation: "POST /deployments/{name}/run" });
    expect(unknownDeployment).toMatchObject({ status: 404, body: { code: "NOT_FOUND", message: 'No deployment is named "nope".' } });

    // Triage: star and review status, the list's filters as query parameters, cancel then a 409.
    const reviewed = await rest("POST", `/api/v1/executions/${String(run.body.id)}/review`, {
      body: { starred: true, reviewStatus: "needs_work" },
      operation: "POST /executions/{id}/review",
    });
    expect(reviewed.body).toMatchObject({ starred: true, reviewStatus: "needs_work" });
    const starred = await rest("GET", `/api/v1/executions?starred=true&reviewStatus=needs_work&from=2000-01-01`, { operation: "GET /executions" });
    expect(starred.body).toMatchObject({ total: 1, data: [{ id: run.body.id }] });
    const notStarred = await rest("GET", `/api/v1/executions?starred=false&promptId=${promptId}`, { operation: "GET /executions" });
    expect(notStarred.body).toMatchObject({ total: 2 });
    const cancelled = await rest("POST", `/api/v1/executions/${String(run.body.id)}/cancel`, { body: {}, operation: "POST /executions/{id}/cancel" });
    expect(cancelled.body).toMatchObject({ status: "cancelled" });
    const again = await rest("POST", `/api/v1/executions/${String(run.body.id)}/cancel`, { body: {}, operation: "POST /executions/{id}/cancel" });
    expect(again).toMatchObject({ status: 409, body: { code: "CONFLICT" } });
  });

  test("errors: code and message with the status of the code, in the documented shape", async () => {
    const anonymous = await rest("GET", "/api/v1/prompts", { key: null, operation: "GET /prompts" });
    expect(anonymous).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED", message: "Sign in, or send an API key in the Authorization header." } });
    const badId = await rest("GET", "/api/v1/prompts/not-an-id", { operation: "GET /prompts/{id}" });
    expect(badId).toMatchObject({ status: 400, body: { code: "BAD_REQUEST", issues: [{ path: ["id"], message: "Must be a valid id." }] } });
    const unknown = await rest("GET", "/api/v1/executions/00000000-0000-4000-8000-000000000000", { operation: "GET /executions/{id}" });
    expect(unknown).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    const noScope = await rest("POST", "/api/v1/files", {
      key: readOnlyKey,
      body: { name: "a", mimeType: "text/plain", contentBase64: b64("a") },
      operation: "POST /files",
    });
    expect(noScope).toMatchObject({ status: 403, body: { code: "FORBIDDEN", message: 'This API key lacks the "files:upload" scope.' } });
    const noRoute = await rest("GET", "/api/v1/nothing-here");
    expect(noRoute).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    expect(String(noRoute.body.message)).toContain("/api/v1/openapi.json");
    const wrongMethod = await rest("DELETE", "/api/v1/prompts");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET");
  });

  test("answers carry the API's headers: never cached, never rendered", async () => {
    const answer = await rest("GET", "/api/v1/prompts");
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(answer.headers.get("x-request-id")).toBeTruthy();
  });

  test("a workspace in maintenance refuses REST writes with 503 and its reason, and serves reads", async () => {
    await enterMaintenance({ kind: "operator", name: "ops@test" }, acme.tenant.id, { reason: "moving disks" });
    try {
      const write = await rest("POST", "/api/v1/executions", { body: { promptId, input: {} }, operation: "POST /executions" });
      expect(write).toMatchObject({ status: 503, body: { code: "SERVICE_UNAVAILABLE", data: { maintenance: { reason: "moving disks" } } } });
      expect((await rest("GET", "/api/v1/prompts", { operation: "GET /prompts" })).status).toBe(200);
    } finally {
      await leaveMaintenance({ kind: "operator", name: "ops@test" }, acme.tenant.id);
    }
  });
});

describe("the same tenant identification and credentials as tRPC", () => {
  test("the path prefix names the workspace; a header that disagrees is a 400; an unknown one a 404", async () => {
    expect((await rest("GET", "/tenant/acme/api/v1/prompts", { tenant: null, operation: "GET /prompts" })).status).toBe(200);
    const disagree = await rest("GET", "/tenant/acme/api/v1/prompts", { tenant: "globex", operation: "GET /prompts" });
    expect(disagree).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
    const unknown = await rest("GET", "/api/v1/prompts", { tenant: "nobody", operation: "GET /prompts" });
    expect(unknown).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
    const none = await rest("GET", "/api/v1/prompts", { tenant: null, operation: "GET /prompts" });
    expect(none.status).toBe(400);
  });

  test("a key of another workspace is a 403; x-api-key works like Bearer", async () => {
    const foreign = await rest("GET", "/api/v1/prompts", { key: globexKey, operation: "GET /prompts" });
    expect(foreign).toMatchObject({ status: 403, body: { message: "This API key belongs to another workspace." } });
    expect((await rest("GET", "/api/v1/prompts", { key: null, headers: { "x-api-key": key }, operation: "GET /prompts" })).status).toBe(200);
  });

  test("a key needs no Origin; a session's write needs its own origin", async () => {
    const body = { name: "o.txt", mimeType: "text/plain", contentBase64: b64("o") };
    expect((await rest("POST", "/api/v1/files", { body, operation: "POST /files" })).status).toBe(200);
    const noOrigin = await rest("POST", "/api/v1/files", { key: null, body, headers: { cookie: adminCookie }, operation: "POST /files" });
    expect(noOrigin).toMatchObject({ status: 403, body: { message: "Cross-site request refused: the Origin header is missing." } });
    const own = new URL(server.url).host;
    const sameOrigin = await rest("POST", "/api/v1/files", {
      key: null,
      body,
      headers: { cookie: adminCookie, origin: `http://${own}` },
      operation: "POST /files",
    });
    expect(sameOrigin.status).toBe(200);
  });
});

describe("body limits of the HTTP edge", () => {
  test("an upload may use the upload limit; other routes the general one; over it is a 413 in the REST shape", async () => {
    const big = b64("x".repeat(BODY_LIMIT * 2));
    const upload = await rest("POST", "/api/v1/files", { body: { name: "big.txt", mimeType: "text/plain", contentBase64: big }, operation: "POST /files" });
    expect(upload.status).toBe(200);
    const tooBig = await rest("POST", "/api/v1/files", { body: { name: "huge.txt", mimeType: "text/plain", contentBase64: b64("x".repeat(UPLOAD_LIMIT)) } });
    expect(tooBig).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    const run = await rest("POST", "/api/v1/deployments/latest/run", { body: { input: { text: "x".repeat(BODY_LIMIT * 2) } } });
    expect(run).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
  });
});

describe("quotas and rate limits answer as documented", () => {
  test("a used-up monthly quota is a 403 with data.quota", async () => {
    const tiny = await createTenantWithUsers("tiny", { settings: { features: [], limits: { users: 5, storage: 10, executions_per_month: 1 } } });
    const tinyKey = await apiKeyFor(tiny.tenant, tiny.users.user, API_KEY_SCOPES);
    const cookie = await login("tiny", "admin@tiny.test");
    const prompt = await call<{ id: string }>("mutation", "prompts.create", { name: "Once", template: "Hi" }, { tenant: "tiny", cookie });
    const run = () =>
      rest("POST", "/api/v1/executions", { tenant: "tiny", key: tinyKey, body: { promptId: prompt.data?.id, input: {} }, operation: "POST /executions" });
    expect((await run()).status).toBe(200);
    const refused = await run();
    expect(refused).toMatchObject({ status: 403, body: { code: "FORBIDDEN", data: { quota: { resource: "executions_per_month", limit: 1, current: 1 } } } });
  });

  test("over the per-key rate limit: 429 with Retry-After", async () => {
    const limited = await startApiServer(0, "127.0.0.1", readEdgeConfig({}), { config: readApiConfig({ RATE_LIMIT_API_PER_KEY: "2" }) });
    try {
      const limitedKey = await apiKeyFor(acme.tenant, acme.users.viewer, ["prompts:read"]);
      const get = () => fetch(`${limited.url}/api/v1/prompts`, { headers: { "x-tenant-id": "acme", authorization: `Bearer ${limitedKey}` } });
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      const refused = await get();
      const body = (await refused.json()) as Record<string, unknown>;
      contract.check("GET /prompts", refused.status, body);
      expect(refused.status).toBe(429);
      expect(body.code).toBe("TOO_MANY_REQUESTS");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
