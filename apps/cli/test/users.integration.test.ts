import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  auditLogModel,
  hashPassword,
  HybridDatabaseManager,
  recordSignInFailure,
  sessionModel,
  sha256,
  signInLockedUntil,
  tenantContext,
  tenantModel,
  tenantSignInKey,
  userModel,
  verifyPassword,
  type TenantRow,
} from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onInstallation, runSigil } from "./run-sigil.ts";

let dataDir: string;
let acme: TenantRow;

function sigil(args: string[], input = "") {
  return runSigil(args, { DATA_DIR: dataDir }, input);
}

const onDisk = <T>(fn: () => Promise<T>) => onInstallation(dataDir, fn);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-users-"));
  await onDisk(async () => {
    await HybridDatabaseManager.getInstance().runSharedMigrations();
    const limits = { users: 5, storage: 100, executions_per_month: 1000 };
    acme = await tenantModel.createTenant({ name: "Acme", slug: "acme", plan: "pro", settings: { features: [], limits } });
    const passwordHash = await hashPassword("old-password-1");
    await tenantContext.runWithTenant(acme.id, async () => {
      const wile = await userModel.create({ email: "wile@acme.test", name: "Wile E.", role: "user", status: "active", passwordHash });
      await userModel.create({ email: "road@acme.test", name: "Road Runner", role: "viewer", status: "pending", passwordHash: null });
      await sessionModel.create({ userId: wile.id, tokenHash: sha256("a-session-token"), expiresAt: new Date(Date.now() + 3_600_000) });
    });
    for (let i = 0; i < 5; i += 1) await recordSignInFailure(tenantSignInKey(acme.id, "wile@acme.test"), { maxFailures: 5, lockoutMs: 900_000 });
  });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("sigil users", () => {
  it("lists a workspace's users with their sign-in lock, filtered by status or role", () => {
    const human = sigil(["users", "list", "--tenant", "acme"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/wile@acme\.test\s+Wile E\.\s+user\s+active\s+—\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
    const pending = JSON.parse(sigil(["users", "list", "--tenant", "acme", "--status", "pending", "--json"]).stdout) as { email: string }[];
    expect(pending.map((user) => user.email)).toEqual(["road@acme.test"]);
  });

  it("unlocks a locked user and records it in the workspace's audit log", async () => {
    const run = sigil(["users", "unlock", "wile@acme.test", "--tenant", "acme"]);
    expect(run).toMatchObject({ code: 0, stdout: "Unlocked wile@acme.test: they can sign in again.\n" });
    await onDisk(async () => {
      expect(await signInLockedUntil(tenantSignInKey(acme.id, "wile@acme.test"))).toBeNull();
      const entries = await tenantContext.runWithTenant(acme.id, () => auditLogModel.findMany({ where: { action: "user.unlocked" } }));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorType: "system", actorId: null, details: { via: "cli", wasLocked: true, email: "wile@acme.test" } });
    });
  });

  it("sets a password from stdin and ends the user's sessions", async () => {
    const run = sigil(["users", "reset-password", "wile@acme.test", "--tenant", "acme", "--password-stdin"], "new-password-22\n");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    await onDisk(async () => {
      const user = await tenantContext.runWithTenant(acme.id, () => userModel.findByEmail("wile@acme.test"));
      expect(await verifyPassword("new-password-22", user?.passwordHash ?? "")).toBe(true);
      expect(await verifyPassword("old-password-1", user?.passwordHash ?? "")).toBe(false);
      expect(await tenantContext.runWithTenant(acme.id, () => sessionModel.findMany({ where: { userId: user?.id ?? "" } }))).toEqual([]);
    });
  });

  it.each<[string[], string, number, RegExp]>([
    [["users", "reset-password", "road@acme.test", "--tenant", "acme", "--password-stdin"], "a-fine-password\n", 1, /has not accepted the invitation yet/],
    [["users", "reset-password", "wile@acme.test", "--tenant", "acme", "--password-stdin"], "short\n", 1, /at least 10 characters/],
    [["users", "unlock", "nobody@acme.test", "--tenant", "acme"], "", 1, /No user nobody@acme\.test in the workspace "acme"/],
    [["users", "list", "--tenant", "umbrella"], "", 1, /No workspace "umbrella" exists/],
    [["users", "list", "--tenant", "acme", "--role", "boss"], "", 2, /--role must be one of admin, user, viewer/],
    [["users", "list"], "", 2, /required option '--tenant <slug>'/],
  ])("refuses %j with exit code %i and a sentence", (args, input, code, message) => {
    const run = sigil(args, input);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });
});
