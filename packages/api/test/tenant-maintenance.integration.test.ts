import type { ChildProcess } from "node:child_process";
import { executionModel, promptModel, tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExecutionWorker } from "../src/index.ts";
import { enterMaintenance, leaveMaintenance } from "../src/services/tenant-maintenance.ts";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";
import { startServerProcess, stopServerProcess } from "./server-process.ts";

/**
 * Maintenance mode of one tenant (services/tenant-maintenance.ts): its writes answer 503 naming
 * the reason and the expected end, its reads are served, another server process sees the change on
 * its very next request, and the execution worker leaves its executions queued.
 */
let env: TestEnv;
let tenant: TenantRow;
let cookie: string;
let apiKey: string;
let server: { child: ChildProcess; url: string };
const operator = { kind: "operator", name: "ops@test" } as const;
const until = new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  env = await useTestEnv();
  ({ tenant } = await createTenantWithUsers("acme"));
  await createTenantWithUsers("globex");
  cookie = await login("acme", "admin@acme.test");
  const created = await call<{ plainKey: string }>(
    "mutation",
    "apiKeys.create",
    { name: "m", scopes: ["prompts:read", "files:upload"] },
    { tenant: "acme", cookie },
  );
  apiKey = created.data?.plainKey ?? "";
  server = await startServerProcess(env.dataDir);
}, 60_000);

afterAll(async () => {
  await stopServerProcess(server);
  env.cleanup();
});

const createPrompt = (slug: string, name: string, sessionCookie: string) =>
  call("mutation", "prompts.create", { name, template: "Hello {{name}}" }, { tenant: slug, cookie: sessionCookie });

describe("a tenant in maintenance", () => {
  test("refuses writes with 503 naming the reason and expected end, serves reads, and other tenants are untouched", async () => {
    expect((await createPrompt("acme", "before", cookie)).status).toBe(200);
    await enterMaintenance(operator, tenant.id, { reason: "restoring last night's backup", until });

    const refused = await createPrompt("acme", "during", cookie);
    expect(refused.status).toBe(503);
    expect(refused.error?.data).toMatchObject({ code: "SERVICE_UNAVAILABLE", maintenance: { reason: "restoring last night's backup", until } });
    expect(refused.error?.message).toBe(
      `The workspace "acme" is in maintenance (restoring last night's backup); expected to end at ${until.toISOString().replace(/\.\d{3}Z$/, "Z")}. Reading works; changes are refused until it ends.`,
    );
    const list = await call<{ data: { name: string }[] }>("query", "prompts.list", {}, { tenant: "acme", cookie });
    expect(list.status).toBe(200);
    expect(list.data?.data.map((prompt) => prompt.name)).toEqual(["before"]);
    // Signing in stays possible (it writes no content); the banner's data is in auth.me.
    const again = await login("acme", "user@acme.test");
    const me = await call<{ tenant: { maintenance: { reason: string; until: Date } | null } }>("query", "auth.me", undefined, {
      tenant: "acme",
      cookie: again,
    });
    expect(me.data?.tenant.maintenance).toMatchObject({ reason: "restoring last night's backup", until });

    const globexCookie = await login("globex", "admin@globex.test");
    expect((await createPrompt("globex", "unaffected", globexCookie)).status).toBe(200);

    await leaveMaintenance(operator, tenant.id);
    expect((await createPrompt("acme", "after", cookie)).status).toBe(200);
  });

  test("an expected end in the past is refused with a sentence saying so", async () => {
    await expect(enterMaintenance(operator, tenant.id, { reason: "x", until: new Date(Date.now() - 1000) })).rejects.toThrow(/is in the past/);
    expect((await tenantModel.findById(tenant.id))?.maintenanceSince).toBeNull();
  });
});

describe("another server process", () => {
  const headers = () => ({ "x-tenant-id": "acme", authorization: `Bearer ${apiKey}`, "content-type": "application/json" });
  const remoteRead = async () =>
    (await fetch(`${server.url}/api/trpc/prompts.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`, { headers: headers() })).status;
  // files.upload with an empty input: 400 (bad input) while writable, 503 in maintenance (checked first).
  const remoteWrite = async () => {
    const response = await fetch(`${server.url}/api/trpc/files.upload`, { method: "POST", headers: headers(), body: JSON.stringify(superjson.serialize({})) });
    const body = (await response.json()) as { error?: { json?: { message?: string } } };
    return { status: response.status, message: body.error?.json?.message ?? "" };
  };

  test("sees maintenance on, and off, on its very next request", async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(await remoteRead()).toBe(200);
      expect((await remoteWrite()).status).toBe(400);
    }
    await enterMaintenance(operator, tenant.id, { reason: "disk replacement" });
    const refused = await remoteWrite();
    expect(refused.status).toBe(503);
    expect(refused.message).toContain("in maintenance (disk replacement); no end time was given");
    expect(await remoteRead()).toBe(200);
    await leaveMaintenance(operator, tenant.id);
    expect((await remoteWrite()).status).toBe(400);
  });
});

describe("the execution worker", () => {
  test("leaves a tenant's executions queued while it is in maintenance, and runs them after", async () => {
    const prompt = await tenantContext.runWithTenant(tenant.id, () =>
      promptModel.create({ name: "w", template: "{{n}}", acceptsFiles: false, responseSchema: null }),
    );
    const execution = await tenantContext.runWithTenant(tenant.id, () =>
      executionModel.create({ promptId: prompt.id, promptVersion: 1, input: { n: 1 }, provider: "template", model: "m" }),
    );
    await enterMaintenance(operator, tenant.id, { reason: "restore" });
    const worker = new ExecutionWorker({ recoveryIntervalMs: 1 });
    expect(await worker.runOnce()).toMatchObject({ processed: 0, errors: [] });
    expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(execution.id))).toMatchObject({ status: "pending" });

    await leaveMaintenance(operator, tenant.id);
    expect(await worker.runOnce()).toMatchObject({ processed: 1, completed: 1, errors: [] });
    expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(execution.id))).toMatchObject({ status: "completed" });
  });
});
