import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminAuditLogModel, auditLogModel, HybridDatabaseManager, tenantContext, tenantModel, userModel, verifyPassword } from "@sigil/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runSigil } from "./run-sigil.ts";

let dataDir: string;

/** `sigil …` in a child process, as an operator runs it; `input` is its stdin. */
function sigil(args: string[], input = "") {
  return runSigil(args, { DATA_DIR: dataDir }, input);
}

/** The installation as it is on disk now (the CLI wrote it from another process). */
function reopen(): HybridDatabaseManager {
  return HybridDatabaseManager.configure({ dataDir });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-changes-"));
  await reopen().runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  await tenantModel.createTenant({ name: "Acme Corporation", slug: "acme", plan: "pro", settings: { features: [], limits } });
  HybridDatabaseManager.closeInstance();
});

beforeEach(() => {
  HybridDatabaseManager.closeInstance();
});

afterAll(() => {
  HybridDatabaseManager.closeInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("sigil tenants create", () => {
  it("provisions a workspace with an invited owner, shows the invitation once, and audits the operator", async () => {
    const run = sigil(["tenants", "create", "initech", "--name", "Initech", "--owner-email", "bill@initech.test", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as { tenant: { id: string; plan: string }; owner: { status: string }; invitation: { token: string } | null };
    expect(created.tenant.plan).toBe("free");
    expect(created.owner.status).toBe("pending");
    expect(created.invitation?.token).toMatch(/^[\w-]{20,}$/);
    reopen();
    const [entry] = await adminAuditLogModel.findMany({ orderBy: { column: "createdAt", direction: "desc" }, limit: 1 });
    expect(entry).toMatchObject({ adminId: null, action: "tenant.created", tenantSlug: "initech", details: { via: "cli" } });
    expect(String(entry?.details.operator)).toMatch(/.+@.+/);
    const tenantAudit = await tenantContext.runWithTenant(created.tenant.id, () => auditLogModel.findMany({}));
    expect(tenantAudit).toEqual([expect.objectContaining({ actorType: "system", actorId: null, action: "tenant.created" })]);
  });

  it("makes the owner active with a password read from stdin, which then verifies", async () => {
    const run = sigil(
      ["tenants", "create", "hooli", "--name", "Hooli", "--owner-email", "gavin@hooli.test", "--plan", "enterprise", "--password-stdin"],
      "gavin-password-1\n",
    );
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain('Created workspace "hooli" (Hooli, plan enterprise).');
    expect(run.stdout).toContain("can sign in at http://hooli.localhost");
    reopen();
    const tenant = await tenantModel.findBySlug("hooli");
    expect(tenant?.limitUsers).toBeGreaterThan(5);
    const owner = await tenantContext.runWithTenant(tenant?.id ?? "", () => userModel.findByEmail("gavin@hooli.test"));
    expect(owner?.status).toBe("active");
    expect(await verifyPassword("gavin-password-1", owner?.passwordHash ?? "")).toBe(true);
  });

  it.each<[string[], string, number, RegExp]>([
    [["acme", "--name", "Again", "--owner-email", "a@acme.test"], "", 1, /The slug "acme" is already taken/],
    [["Bad_Slug", "--name", "X", "--owner-email", "a@b.test"], "", 2, /slug: Use lower-case letters/],
    [["newco", "--name", "X", "--owner-email", "not-an-email"], "", 2, /owner\.email: Enter a valid email address/],
    [["newco", "--name", "X", "--owner-email", "a@b.test", "--plan", "platinum"], "", 2, /--plan: /],
    [["newco", "--name", "X", "--owner-email", "a@b.test", "--password-stdin"], "short\n", 2, /owner\.password: At least 10 characters/],
    [["newco", "--name", "X", "--owner-email", "a@b.test", "--password-stdin"], "", 2, /stdin held no owner password/],
    [["newco", "--name", "X", "--owner-email", "a@b.test", "--domain", "newco.localhost"], "", 1, /is under localhost/],
  ])("refuses %j (stdin %j) with exit code %i, leaving no workspace behind", async (args, input, code, message) => {
    const run = sigil(["tenants", "create", ...args], input);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    reopen();
    expect(await tenantModel.findBySlug("newco")).toBeNull();
  });
});

describe("sigil tenants suspend / reactivate / delete", () => {
  it("suspends and reactivates, saying when nothing changed, and audits each change", async () => {
    expect(sigil(["tenants", "suspend", "acme"]).stdout).toContain('Workspace "acme": active → suspended.');
    expect(sigil(["tenants", "suspend", "acme"]).stdout).toContain('Workspace "acme" was already suspended.');
    reopen();
    expect((await tenantModel.findBySlug("acme"))?.status).toBe("suspended");
    HybridDatabaseManager.closeInstance();
    expect(sigil(["tenants", "reactivate", "acme", "--json"]).stdout).toContain('"status": "active"');
    reopen();
    const actions = (await adminAuditLogModel.findMany({})).filter((entry) => entry.tenantSlug === "acme").map((entry) => entry.action);
    expect(actions.sort()).toEqual(["tenant.reactivated", "tenant.suspended", "tenant.suspended"]);
  });

  it("deletes only when the slug is typed again, then removes the file", async () => {
    reopen();
    const initech = await tenantModel.findBySlug("initech");
    const file = HybridDatabaseManager.getInstance().tenantDatabasePath(initech?.id ?? "");
    expect(existsSync(file)).toBe(true);
    HybridDatabaseManager.closeInstance();
    const unconfirmed = sigil(["tenants", "delete", "initech"]);
    expect(unconfirmed).toMatchObject({ code: 2 });
    expect(unconfirmed.stderr).toContain("confirm with --confirm initech");
    const mistyped = sigil(["tenants", "delete", "initech", "--confirm", "acme"]);
    expect(mistyped.code).toBe(2);
    expect(existsSync(file)).toBe(true);
    const deleted = sigil(["tenants", "delete", "initech", "--confirm", "initech"]);
    expect(deleted).toMatchObject({ code: 0, stdout: 'Deleted workspace "initech" and its data.\n' });
    expect(existsSync(file)).toBe(false);
    reopen();
    expect(await tenantModel.findBySlug("initech")).toBeNull();
    expect(sigil(["tenants", "suspend", "initech"]).stderr).toContain('No workspace "initech" exists.');
  });
});
