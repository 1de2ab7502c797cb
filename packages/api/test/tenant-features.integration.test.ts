/**
 * Tenant features on the server: every procedure of a feature the workspace does not have answers
 * FORBIDDEN naming the feature, for sessions and API keys alike. The procedures are enumerated from
 * the router, so a procedure added to the deployments or files router without the guard fails here.
 * Shared paths that reach a feature's data (executions by deployment, with files) refuse the same way.
 */
import { apiKeyModel, deploymentModel, fileModel, promptModel, tenantContext, type ApiKeyScope, type TenantRow, type UserRow } from "@sigil/db";
import { TENANT_FEATURES, type TenantFeature } from "@sigil/validators";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../src/auth/api-key-format.ts";
import { appRouter } from "../src/root.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type TestEnv } from "./harness.ts";

let env: TestEnv;
const ALL_SCOPES: ApiKeyScope[] = ["prompts:read", "prompts:preview", "executions:run", "executions:read", "files:upload", "files:download", "deployments:run"];

interface Workspace {
  tenant: TenantRow;
  admin: UserRow;
  session: CallOptions;
  apiKey: CallOptions;
}
/** bare: no features; full: every feature; filesOnly: files without deployments. */
const ws: Record<"bare" | "full" | "filesOnly", Workspace> = {} as Record<"bare" | "full" | "filesOnly", Workspace>;

async function workspace(slug: string, features: TenantFeature[]): Promise<Workspace> {
  const { tenant, users } = await createTenantWithUsers(slug, {
    settings: { features, limits: { users: 50, storage: 100, executions_per_month: 1000 } },
  });
  const key = generateApiKey("tenant");
  await tenantContext.runWithTenant(tenant.id, () =>
    apiKeyModel.create({ userId: users.admin.id, name: "all", keyId: key.keyId, secretHash: key.secretHash, scopes: ALL_SCOPES }),
  );
  return {
    tenant,
    admin: users.admin,
    session: { tenant: slug, cookie: await login(slug, `admin@${slug}.test`) },
    apiKey: { tenant: slug, apiKey: key.plain },
  };
}

/** Every procedure of the routers that belong to a feature, from the router itself. */
function proceduresOf(feature: TenantFeature): { path: string; type: "query" | "mutation" }[] {
  // The router's flat map of "router.procedure" paths to procedures (tRPC's own record).
  const procedures: Record<string, unknown> = appRouter._def.procedures;
  return Object.entries(procedures)
    .filter(([path]) => path.startsWith(`${feature}.`))
    .map(([path, procedure]) => ({ path, type: typeOf(procedure) }));
}

function typeOf(procedure: unknown): "query" | "mutation" {
  const type = (procedure as { _def?: { type?: unknown } })._def?.type;
  if (type !== "query" && type !== "mutation") throw new Error(`not a query or mutation: ${String(type)}`);
  return type;
}

const disabled = (feature: TenantFeature) => new RegExp(`^The ${feature} feature is not enabled for this workspace\\.`);

beforeAll(async () => {
  env = await useTestEnv();
  ws.bare = await workspace("bare", []);
  ws.full = await workspace("full", [...TENANT_FEATURES]);
  ws.filesOnly = await workspace("files-only", ["files"]);
});
afterAll(() => env.cleanup());

describe.each(TENANT_FEATURES)("the %s feature", (feature) => {
  const procedures = proceduresOf(feature);

  test("has procedures to guard (the enumeration finds the router)", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(4);
  });

  test.each(procedures)("$path: FORBIDDEN naming the feature when off, for a session and an API key", async ({ path, type }) => {
    for (const identity of [ws.bare.session, ws.bare.apiKey]) {
      const result = await call(type, path, {}, identity);
      expect(result.status, `${path} ${JSON.stringify(result.error?.message)}`).toBe(403);
      expect(result.error?.data.code).toBe("FORBIDDEN");
      expect(result.error?.message).toMatch(disabled(feature));
    }
  });

  test.each(procedures)("$path: not refused for the feature when on", async ({ path, type }) => {
    for (const identity of [ws.full.session, ws.full.apiKey]) {
      const result = await call(type, path, {}, identity);
      expect(result.error?.message ?? "").not.toMatch(disabled(feature));
    }
  });
});

describe("shared paths reach a feature's data only while it is on", () => {
  test("executions.create by deployment, and executions.list filtered by deployment: FORBIDDEN without deployments", async () => {
    const { tenant } = ws.filesOnly;
    const deployment = await tenantContext.runWithTenant(tenant.id, async () => {
      const prompt = await promptModel.create({ name: "kept", template: "Hi {{name}}", description: "", acceptsFiles: true });
      // Made while the workspace had deployments: the data stays, the feature refuses it.
      return deploymentModel.create({ name: "production", promptId: prompt.id, promptVersion: null, provider: "template", model: "mustache" });
    });
    for (const identity of [ws.filesOnly.session, ws.filesOnly.apiKey]) {
      const created = await call("mutation", "executions.create", { deploymentId: deployment.id, input: {} }, identity);
      expect(created.status).toBe(403);
      expect(created.error?.message).toMatch(disabled("deployments"));
      const listed = await call("query", "executions.list", { deploymentId: deployment.id }, identity);
      expect(listed.status).toBe(403);
      expect(listed.error?.message).toMatch(disabled("deployments"));
    }
    // Executions of the prompt itself still work.
    const plain = await call("query", "executions.list", {}, ws.filesOnly.session);
    expect(plain.status).toBe(200);
  });

  test("executions.create with files: FORBIDDEN without files; without files it runs", async () => {
    const { tenant } = ws.bare;
    const { prompt, file } = await tenantContext.runWithTenant(tenant.id, async () => ({
      prompt: await promptModel.create({ name: "reads files", template: "Hi", description: "", acceptsFiles: true }),
      file: await fileModel.create({ name: "a.txt", mimeType: "text/plain", content: Buffer.from("a"), size: 1, sha256: "x".repeat(64), tags: [] }),
    }));
    const withFiles = await call("mutation", "executions.create", { promptId: prompt.id, input: {}, fileIds: [file.id] }, ws.bare.apiKey);
    expect(withFiles.status).toBe(403);
    expect(withFiles.error?.message).toMatch(disabled("files"));
    const without = await call("mutation", "executions.create", { promptId: prompt.id, input: {} }, ws.bare.apiKey);
    expect(without.status).toBe(200);
  });

  test("auth.me lists the workspace's known features (what the web app shows)", async () => {
    const bare = await call<{ tenant: { features: string[] } }>("query", "auth.me", undefined, ws.bare.session);
    expect(bare.data?.tenant.features).toEqual([]);
    const full = await call<{ tenant: { features: string[] } }>("query", "auth.me", undefined, ws.full.session);
    expect(full.data?.tenant.features).toEqual([...TENANT_FEATURES]);
  });
});
