import type { ChildProcess } from "node:child_process";
import { tenantContext, tenantModel, userModel, type TenantRow, type UserRow } from "@sigil/db";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";
import { startServerProcess } from "./server-process.ts";

/**
 * The request path's caches (tenant registry, API key → owner; @sigil/db request-path-cache.ts)
 * never outlive the change that makes them stale, in this process or another one: an API server
 * in a child process has every entry cached (it answered the same request just before), then this
 * process suspends, demotes, deactivates, revokes or deletes, and the very next request there is
 * refused.
 */
let env: TestEnv;
let tenant: TenantRow;
let admin: UserRow;
let apiKey: string;
let apiKeyId: string;
let adminCookie: string;
let server: { child: ChildProcess; url: string };

beforeAll(async () => {
  env = await useTestEnv();
  ({
    tenant,
    users: { admin },
  } = await createTenantWithUsers("acme"));
  adminCookie = await login("acme", "admin@acme.test");
  const created = await call<{ plainKey: string; key: { id: string } }>(
    "mutation",
    "apiKeys.create",
    { name: "cache", scopes: ["prompts:read", "files:upload"] },
    { tenant: "acme", cookie: adminCookie },
  );
  apiKey = created.data?.plainKey ?? "";
  apiKeyId = created.data?.key.id ?? "";
  server = await startServerProcess(env.dataDir);
}, 60_000);

afterAll(async () => {
  server.child.kill("SIGTERM");
  await new Promise((resolve) => server.child.once("exit", resolve));
  env.cleanup();
});

/**
 * With the key, on the other process: prompts.list (a viewer may), or files.upload with an empty
 * input (the user role is checked first: 403 below it, else the input's 400).
 */
async function remote(kind: "read" | "write"): Promise<{ status: number; message: string }> {
  const headers = { "x-tenant-id": "acme", authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const response =
    kind === "read"
      ? await fetch(`${server.url}/api/trpc/prompts.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`, { headers })
      : await fetch(`${server.url}/api/trpc/files.upload`, { method: "POST", headers, body: JSON.stringify(superjson.serialize({})) });
  const body = (await response.json()) as { error?: { json?: { message?: string } } };
  return { status: response.status, message: body.error?.json?.message ?? "" };
}

/** The same read in this process (its own caches, warmed the same way). */
async function local(): Promise<number> {
  return (await call("query", "prompts.list", {}, { tenant: "acme", apiKey })).status;
}

async function warm(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    expect(await remote("read")).toEqual({ status: 200, message: "" });
    expect(await local()).toBe(200);
  }
}

const asAdmin = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(tenant.id, fn);

describe("a change made by one process is seen by the next request in another", () => {
  test("suspending the tenant refuses the next request; reactivating serves it again", async () => {
    await warm();
    await tenantModel.suspend(tenant.id);
    expect(await remote("read")).toEqual({ status: 403, message: 'The workspace "acme" is suspended. Contact your administrator.' });
    expect(await local()).toBe(403);
    await tenantModel.reactivate(tenant.id);
    expect((await remote("read")).status).toBe(200);
    expect(await local()).toBe(200);
  });

  test("a role change of the key's owner decides the next write", async () => {
    await warm();
    expect((await remote("write")).status).toBe(400);
    await asAdmin(() => userModel.update(admin.id, { role: "viewer" }));
    expect(await remote("write")).toEqual({ status: 403, message: "This needs the user role; you are a viewer." });
    await asAdmin(() => userModel.update(admin.id, { role: "admin" }));
    expect((await remote("write")).status).toBe(400);
  });

  test("deactivating the key's owner refuses the next request", async () => {
    await warm();
    await asAdmin(() => userModel.update(admin.id, { status: "inactive" }));
    expect(await remote("read")).toEqual({ status: 401, message: "The owner of this API key is no longer active." });
    await asAdmin(() => userModel.update(admin.id, { status: "active" }));
    expect((await remote("read")).status).toBe(200);
  });

  test("revoking the key refuses the next request, here and there", async () => {
    await warm();
    const revoked = await call("mutation", "apiKeys.revoke", { id: apiKeyId }, { tenant: "acme", cookie: adminCookie });
    expect(revoked.status).toBe(200);
    expect(await remote("read")).toEqual({ status: 401, message: "This API key was revoked." });
    expect(await local()).toBe(401);
  });

  test("deleting the tenant makes the next request a 404", async () => {
    expect((await remote("read")).status).toBe(401);
    await tenantModel.deleteTenant(tenant.id);
    expect(await remote("read")).toEqual({ status: 404, message: 'No workspace "acme" exists.' });
  });
});
