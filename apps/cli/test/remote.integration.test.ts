/**
 * Remote mode (src/target.ts, src/admin-backend.ts): `--url … --key sgla_…` runs the tenant
 * commands and `status` through the API of a running server, with the same output as local mode;
 * the commands that work on the files refuse, and a wrong key or an unreachable server is one
 * sentence and exit code 1 or 2.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateApiKey } from "@sigil/api";
import { startApiServer } from "@sigil/api/http";
import { adminAuditLogModel, hashPassword, HybridDatabaseManager, systemAdminModel, systemApiKeyModel, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSigilAsync } from "./run-sigil.ts";

let dataDir: string;
let server: Awaited<ReturnType<typeof startApiServer>>;
let adminKey: string;
let url: string;

/** `sigil --url … --key … <args>` in a child process; this process serves the API meanwhile. */
function remote(args: string[], key = adminKey) {
  // An empty DATA_DIR: remote mode must not need, or touch, local files.
  return runSigilAsync(["--url", url, "--key", key, ...args], { DATA_DIR: join(dataDir, "nowhere") });
}

/** A port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-remote-"));
  const manager = HybridDatabaseManager.configure({ dataDir });
  await manager.runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  await tenantModel.createTenant({ name: "Acme Corporation", slug: "acme", plan: "pro", settings: { features: [], limits } });
  await tenantModel.createTenant({ name: "Globex Inc.", slug: "globex", plan: "free", settings: { features: [], limits } });
  const admin = await systemAdminModel.create({ email: "root@sigil.test", name: "Root", passwordHash: await hashPassword("a long admin password") });
  const generated = generateApiKey("system");
  await systemApiKeyModel.create({ adminId: admin.id, name: "cli test", keyId: generated.keyId, secretHash: generated.secretHash });
  adminKey = generated.plain;
  server = await startApiServer();
  // The server's root; the CLI calls admin.localhost:<port>, which it resolves to 127.0.0.1.
  url = `http://localhost:${new URL(server.url).port}`;
});

afterAll(async () => {
  await server.close();
  HybridDatabaseManager.closeInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("sigil --url … --key …", () => {
  it("lists and shows tenants through the API, as JSON and as a table", async () => {
    const listed = await remote(["tenants", "list", "--json"]);
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    const page = JSON.parse(listed.stdout) as { total: number; tenants: { slug: string; settings: { limits: { users: number } } }[] };
    expect(page.total).toBe(2);
    expect(page.tenants.map((tenant) => tenant.slug)).toEqual(["acme", "globex"]);
    const shown = await remote(["tenants", "show", "globex"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/name\s+Globex Inc\./);
    expect(shown.stdout).toMatch(/plan\s+free/);
    const missing = await remote(["tenants", "show", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('sigil: No workspace "nope" exists.\n');
  });

  it("creates, suspends, reactivates and deletes a tenant, audited as the key's administrator", async () => {
    const created = await remote(["tenants", "create", "hooli", "--name", "Hooli", "--owner-email", "gavin@hooli.test"]);
    expect(created.stderr).toBe("");
    expect(created.stdout).toContain('Created workspace "hooli"');
    // The invitation link names the server's own host and port.
    expect(created.stdout).toContain(`http://hooli.localhost:${new URL(server.url).port}/invite/`);
    expect(await tenantModel.findBySlug("hooli")).toMatchObject({ status: "active" });

    expect((await remote(["tenants", "suspend", "hooli"])).stdout).toBe('Workspace "hooli": active → suspended.\n');
    expect((await tenantModel.findBySlug("hooli"))?.status).toBe("suspended");
    expect((await remote(["tenants", "reactivate", "hooli", "--json"])).stdout).toContain('"status": "active"');

    const wrongConfirm = await remote(["tenants", "delete", "hooli", "--confirm", "acme"]);
    expect(wrongConfirm.code).toBe(2);
    expect(await tenantModel.findBySlug("hooli")).not.toBeNull();
    const deleted = await remote(["tenants", "delete", "hooli", "--confirm", "hooli"]);
    expect(deleted.code).toBe(0);
    expect(await tenantModel.findBySlug("hooli")).toBeNull();

    const actions = await adminAuditLogModel.findMany({ orderBy: { column: "createdAt", direction: "asc" } });
    const hooli = actions.filter((entry) => JSON.stringify(entry).includes("hooli"));
    expect(hooli.map((entry) => entry.action)).toEqual(["tenant.created", "tenant.suspended", "tenant.reactivated", "tenant.deleted"]);
    const admin = await systemAdminModel.findByEmail("root@sigil.test");
    expect(hooli.map((entry) => entry.adminId)).toEqual(Array(4).fill(admin?.id));
  });

  it("puts a tenant into maintenance and out again", async () => {
    const on = await remote(["maintenance", "on", "--tenant", "globex", "--reason", "moving to a new disk", "--for", "30m"]);
    expect(on.stderr).toBe("");
    expect(on.stdout).toMatch(
      /^The workspace "globex" is in maintenance \(moving to a new disk\); expected to end at .*\nSince .*, set by root@sigil\.test\.\n$/,
    );
    expect((await tenantModel.findBySlug("globex"))?.maintenanceReason).toBe("moving to a new disk");
    const status = JSON.parse((await remote(["maintenance", "status", "--tenant", "globex", "--json"])).stdout) as { maintenance: { reason: string } | null };
    expect(status.maintenance?.reason).toBe("moving to a new disk");
    expect((await remote(["maintenance", "off", "--tenant", "globex"])).stdout).toBe('Workspace "globex" is out of maintenance: writes are accepted again.\n');
    expect((await tenantModel.findBySlug("globex"))?.maintenanceSince).toBeNull();
  });

  it("reports the tenants' schema status", async () => {
    const run = await remote(["status", "--all", "--json"]);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as { shared: unknown; tenants: { slug: string }[] };
    expect(status.shared).toBeNull();
    expect(status.tenants.map((row) => row.slug).sort()).toEqual(["acme", "globex"]);
  });

  it("refuses the commands that work on the files, a tenant key, a wrong key and an unreachable server", async () => {
    const migrate = await remote(["migrate"]);
    expect(migrate.code).toBe(2);
    expect(migrate.stderr).toMatch(/^sigil: sigil migrate works on the files of DATA_DIR only/);

    const tenantKey = await remote(["tenants", "list"], "sgl_0123456789abcdef_" + "x".repeat(43));
    expect(tenantKey.code).toBe(2);
    expect(tenantKey.stderr).toMatch(/system administrator's API key/);

    const forged = generateApiKey("system").plain;
    const wrongKey = await remote(["tenants", "list"], forged);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^sigil: the server answered 401: /);

    const closed = await runSigilAsync(["--url", `http://localhost:${await closedPort()}`, "--key", adminKey, "tenants", "list"], { DATA_DIR: dataDir });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^sigil: cannot reach the server \(ECONNREFUSED\)/);
  });
});
