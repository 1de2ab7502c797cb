import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminAuditLogModel, auditLogModel, hashPassword, HybridDatabaseManager, tenantContext, tenantModel, userModel, verifyPassword } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, runSigil, type SigilRun } from "./run-sigil.ts";

/** `sigil export` / `sigil import` as an operator runs them (README: Operating it, moving a workspace). */

let root: string;
let home: string;
let away: string;

const sigilIn = (dataDir: string, args: string[]) => runSigil(args, { DATA_DIR: dataDir });

async function use(dataDir: string): Promise<HybridDatabaseManager> {
  const manager = HybridDatabaseManager.configure({ dataDir });
  await manager.runSharedMigrations();
  return manager;
}

/** runSigil without blocking this process, so it can write to the installation meanwhile. */
function sigilInBackground(dataDir: string, args: string[]): Promise<SigilRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(CLI_DIR, "bin", "sigil.mjs"), ...args], { env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sigil-cli-archive-"));
  home = join(root, "home");
  away = join(root, "away");
  mkdirSync(home);
  mkdirSync(away);
  await use(away);
  await use(home);
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  const acme = await tenantModel.createTenant({ name: "Acme Corporation", slug: "acme", plan: "pro", settings: { features: [], limits } });
  const passwordHash = await hashPassword("acme-owner-password");
  await tenantContext.runWithTenant(acme.id, () =>
    userModel.create({ email: "owner@acme.test", name: "Owner", role: "admin", status: "active", passwordHash }),
  );
  HybridDatabaseManager.closeInstance();
});

afterAll(() => {
  HybridDatabaseManager.closeInstance();
  rmSync(root, { recursive: true, force: true });
});

describe("sigil export, then sigil import into another installation", () => {
  const file = () => join(root, "acme.sigil-tenant.tar.gz");

  it("exports while another process writes to the workspace, with progress on stderr and the result as JSON", async () => {
    await use(home);
    const acme = await tenantModel.findBySlug("acme");
    const running = sigilInBackground(home, ["export", "--tenant", "acme", "--out", file(), "--json"]);
    let writes = 0;
    let done = false;
    void running.then(() => (done = true));
    while (!done) {
      await tenantContext.runWithTenant(acme?.id ?? "", () =>
        auditLogModel.record({ actorType: "system", actorId: null, action: "test.write", targetType: null, targetId: null, details: {}, ip: null }),
      );
      writes += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const run = await running;
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/pages of the tenant file copied/);
    const result = JSON.parse(run.stdout) as { file: string; sha256: string; manifest: { source: { slug: string }; counts: { users: number } } };
    expect(result).toMatchObject({ file: file(), manifest: { source: { slug: "acme" }, counts: { users: 1 } } });
    expect(writes).toBeGreaterThan(0);
    const [entry] = await adminAuditLogModel.findMany({ orderBy: { column: "createdAt", direction: "desc" }, limit: 1 });
    expect(entry).toMatchObject({ action: "tenant.exported", tenantSlug: "acme", details: { sha256: result.sha256, via: "cli" } });
    HybridDatabaseManager.closeInstance();
  });

  it("imports it under a new slug; the owner's password still verifies there", async () => {
    const run = sigilIn(away, ["import", file(), "--slug", "acme-moved", "--json"]);
    expect(run.stderr).not.toMatch(/sigil:/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      tenant: { slug: "acme-moved", name: "Acme Corporation", plan: "pro" },
      keptTenantId: true,
      counts: { users: 1 },
    });
    await use(away);
    const moved = await tenantModel.findBySlug("acme-moved");
    const owner = await tenantContext.runWithTenant(moved?.id ?? "", () => userModel.findByEmail("owner@acme.test"));
    expect(await verifyPassword("acme-owner-password", owner?.passwordHash ?? "")).toBe(true);
    HybridDatabaseManager.closeInstance();
  });

  it("says in words what moved", () => {
    const run = sigilIn(away, ["import", file(), "--slug", "acme-words", "--name", "Acme Words"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Imported workspace "acme-words" \(Acme Words, plan pro, active\) from "acme"/);
    expect(run.stdout).toMatch(/tenant id [0-9a-f-]{36} \(new: the archive's is used here\)/);
  });

  it.each<[string, number, string[], RegExp]>([
    ["a slug in use (--slug)", 2, ["import", "ARCHIVE", "--slug", "acme-moved"], /--slug: a workspace "acme-moved" already exists here/],
    ["an invalid --slug", 2, ["import", "ARCHIVE", "--slug", "Not_A_Slug"], /--slug: "Not_A_Slug" is not a workspace slug/],
    ["a missing archive", 1, ["import", "no-such.sigil-tenant.tar.gz"], /No archive at .*no-such\.sigil-tenant\.tar\.gz/],
    ["a file that is not an archive", 1, ["import", "GARBAGE"], /not a readable tenant archive/],
  ])("refuses %s with exit code %i and leaves the installation as it was", (_case, code, args, message) => {
    const garbage = join(root, "garbage.tar.gz");
    writeFileSync(garbage, "not an archive");
    const before = sigilIn(away, ["tenants", "list", "--json"]).stdout;
    const run = sigilIn(
      away,
      args.map((arg) => (arg === "ARCHIVE" ? file() : arg === "GARBAGE" ? garbage : arg)),
    );
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(sigilIn(away, ["tenants", "list", "--json"]).stdout).toBe(before);
  });

  it("export refuses an unknown workspace and an existing --out, writing nothing", () => {
    const unknown = sigilIn(home, ["export", "--tenant", "umbrella", "--out", join(root, "umbrella.tar.gz")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No workspace "umbrella" exists\./);
    expect(existsSync(join(root, "umbrella.tar.gz"))).toBe(false);
    const again = sigilIn(home, ["export", "--tenant", "acme", "--out", file()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; choose another --out/);
  });
});
