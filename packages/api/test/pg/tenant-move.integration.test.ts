import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { auditLogModel, exportTenantArchive, tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import { createTestDatabase, useTempDataDir, type TestDatabase } from "@sigil/db/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBackup } from "../../src/services/backups.ts";
import { moveTenant } from "../../src/services/tenant-move.ts";
import { call, createTenantWithUsers, login, type TestEnv } from "../harness.ts";

/**
 * `sigil tenants move` as the API runs it (services/tenant-move.ts) on a SQLite installation with
 * TENANT_POSTGRES_URL: the workspace refuses writes during the move, is served from PostgreSQL
 * afterwards with every prompt, gets its previous maintenance state back, the move is audited, and
 * the SQLite-file features name it instead of failing on a missing file.
 */
let database: TestDatabase;
let env: TestEnv;
let acme: TenantRow;
let cookie: string;
const operator = { kind: "operator", name: "ops@test" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  env = await useTempDataDir({
    tenantCacheSize: 16,
    database: { engine: "sqlite" },
    tenantPostgresUrl: database.url(),
    pgRoles: { app: database.roleName("app"), system: database.roleName("system") },
  });
  ({ tenant: acme } = await createTenantWithUsers("acme"));
  await createTenantWithUsers("globex");
  cookie = await login("acme", "admin@acme.test");
  expect((await createPrompt("before")).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await env.cleanup();
  await database.drop();
});

function createPrompt(name: string) {
  return call("mutation", "prompts.create", { name, template: "Hello {{name}}" }, { tenant: "acme", cookie });
}

async function promptNames(): Promise<string[]> {
  const list = await call<{ data: { name: string }[] }>("query", "prompts.list", {}, { tenant: "acme", cookie });
  expect(list.status).toBe(200);
  return (list.data?.data ?? []).map((prompt) => prompt.name).sort();
}

async function current(): Promise<TenantRow> {
  const row = await tenantModel.findById(acme.id);
  if (!row) throw new Error("acme is gone");
  return row;
}

describe("moving a workspace between its SQLite file and PostgreSQL", () => {
  test("writes are refused during the move; afterwards it is served from PostgreSQL, out of maintenance, and the move is audited", async () => {
    let during: ReturnType<typeof createPrompt> | undefined;
    const report = await moveTenant(operator, await current(), "postgres", ({ step }) => {
      if (step === "copying") during ??= createPrompt("during");
    });
    expect(report).toMatchObject({ from: "local", to: "postgres" });
    const refused = await during;
    expect(refused?.status).toBe(503);
    expect(refused?.error?.message).toMatch(/"acme" is in maintenance \(moving to PostgreSQL\)/);

    const after = await current();
    expect(after.placement).toBe("postgres");
    expect(after.maintenanceSince).toBeNull();
    expect((await createPrompt("after")).status).toBe(200);
    expect(await promptNames()).toEqual(["after", "before"]);
    const moved = await tenantContext.runWithTenant(acme.id, async () => (await auditLogModel.findMany()).filter((entry) => entry.action === "tenant.moved"));
    expect(moved).toHaveLength(1);
    expect(moved[0]?.details).toMatchObject({ from: "local", to: "postgres" });
  });

  test("file backups leave it out and say so; a backup of it alone and its archive are refused by name", async () => {
    const outDir = join(env.dataDir, "backups");
    mkdirSync(outDir);
    const report = await runBackup({ outDir, tenants: "all" });
    expect(report.onPostgres).toEqual(["acme"]);
    expect(report.manifest.files.map((file) => file.slug)).toEqual([null, "globex"]);
    await expect(runBackup({ outDir, tenants: [await current()] })).rejects.toThrow(
      /lives in PostgreSQL \(placement postgres, TENANT_POSTGRES_URL\), so a file backup does not apply/,
    );
    await expect(
      exportTenantArchive(env.manager, acme.id, join(env.dataDir, "acme.sigil-archive"), { sigil: { version: null, commit: null }, includeSecrets: false }),
    ).rejects.toThrow(/so a tenant archive \(sigil export\) does not apply to it/);
  });

  test("it moves back with every prompt, keeps a maintenance it was already in, and a second move to the same place is refused", async () => {
    await tenantModel.setMaintenance(acme.id, { since: new Date(), reason: "planned work", until: null, by: "ops@test" });
    await moveTenant(operator, await current(), "sqlite");
    const after = await current();
    expect(after.placement).toBe("local");
    expect(after.maintenanceReason).toBe("planned work");
    await tenantModel.setMaintenance(acme.id, null);
    expect(await promptNames()).toEqual(["after", "before"]);
    await expect(moveTenant(operator, await current(), "sqlite")).rejects.toThrow('Workspace "acme" already lives in its SQLite file; nothing to move.');
  });
});
