import { existsSync, mkdtempSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, runSigil, type SigilRun } from "./run-sigil.ts";

const bundle = join(CLI_DIR, "dist", "sigil.mjs");
let dataDir: string;

/** `sigil …` as an operator runs it: the launcher, which runs the compiled bundle on plain node. */
function sigil(args: string[], env: Record<string, string> = { DATA_DIR: dataDir }): SigilRun {
  return runSigil(args, env);
}

function jsonOf<T>(run: SigilRun): T {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-test-"));
  const manager = HybridDatabaseManager.configure({ dataDir });
  await manager.runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  await tenantModel.createTenant({ name: "Acme Corporation", slug: "acme", plan: "pro", settings: { features: [], limits } });
  await tenantModel.createTenant({ name: "Globex Inc.", slug: "globex", plan: "free", settings: { features: [], limits } });
  const initech = await tenantModel.createTenant({ name: "Initech", slug: "initech", plan: "free", settings: { features: [], limits } });
  await tenantModel.suspend(initech.id);
  // The control plane says initech's file is one migration behind (what `status` reports).
  manager.getSharedDatabase().$client.prepare("UPDATE tenant_usage SET schema_version = schema_version - 1 WHERE tenant_id = ?").run(initech.id);
  HybridDatabaseManager.closeInstance();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("sigil tenants", () => {
  it("lists every tenant with its status, plan and usage, as a table and as JSON", () => {
    const human = sigil(["tenants", "list"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^SLUG\s+NAME\s+STATUS\s+PLAN/);
    expect(human.stdout).toMatch(/initech\s+Initech\s+suspended\s+free/);
    expect(human.stdout).toContain("Page 1 of 1 (3 tenants).");
    const page = jsonOf<{ total: number; tenants: { slug: string; status: string; usage: { schema: { state: string } } }[] }>(
      sigil(["tenants", "list", "--json"]),
    );
    expect(page.total).toBe(3);
    expect(page.tenants.map((tenant) => tenant.slug)).toEqual(["acme", "globex", "initech"]);
    expect(page.tenants.find((tenant) => tenant.slug === "initech")?.usage.schema.state).toBe("behind");
  });

  it("filters, searches, sorts and pages as the dashboard does", () => {
    const slugs = (args: string[]) =>
      jsonOf<{ tenants: { slug: string }[] }>(sigil(["tenants", "list", "--json", ...args])).tenants.map((tenant) => tenant.slug);
    expect(slugs(["--status", "suspended"])).toEqual(["initech"]);
    expect(slugs(["--plan", "free"])).toEqual(["globex", "initech"]);
    expect(slugs(["--search", "corp"])).toEqual(["acme"]);
    expect(slugs(["--desc"])).toEqual(["initech", "globex", "acme"]);
    expect(slugs(["--page-size", "2", "--page", "2"])).toEqual(["initech"]);
  });

  it("shows one tenant, and says so when it does not exist", () => {
    const shown = sigil(["tenants", "show", "acme"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/name\s+Acme Corporation/);
    expect(shown.stdout).toMatch(/users\s+0 of 5/);
    const document = jsonOf<{ slug: string; plan: string; settings: { limits: { users: number } } }>(sigil(["tenants", "show", "acme", "--json"]));
    expect(document).toMatchObject({ slug: "acme", plan: "pro", settings: { limits: { users: 5 } } });
    const missing = sigil(["tenants", "show", "umbrella"]);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toContain('No workspace "umbrella" exists.');
  });

  it.each([
    [["tenants", "list", "--status", "asleep"], /--status: Choose one of: active, inactive, suspended\./],
    [["tenants", "list", "--page-size", "500"], /--page-size: A page holds at most 100 tenants/],
    [["tenants", "list", "--page", "two"], /--page must be a whole number; got "two"/],
    [["tenants", "show", "Not/A/Slug"], /is not a workspace slug/],
    [["status", "--state", "late"], /--state must be one of up_to_date, behind, unknown/],
    [["tenants", "frobnicate"], /unknown command 'frobnicate'/],
  ])("refuses %j with exit code 2 and a sentence", (args, message) => {
    const run = sigil(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

describe("sigil status", () => {
  it("reports shared.sqlite's and every tenant's schema against the latest, listing those behind", () => {
    const human = sigil(["status"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^shared\.sqlite: v(\d+) of v\1$/m);
    expect(human.stdout).toContain("2 up to date, 1 behind, 0 unknown.");
    expect(human.stdout).toMatch(/initech\s+suspended\s+v\d+\s+behind/);
    expect(human.stdout).not.toMatch(/^acme/m);
    const report = jsonOf<{ summary: Record<string, number>; tenants: { slug: string }[] }>(sigil(["status", "--json", "--all"]));
    expect(report.summary).toEqual({ up_to_date: 2, behind: 1, unknown: 0 });
    expect(report.tenants.map((tenant) => tenant.slug).sort()).toEqual(["acme", "globex", "initech"]);
  });
});

describe("the installation and the bundle", () => {
  it("refuses a directory without an installation, and creates nothing there", () => {
    const empty = join(dataDir, "not-an-installation");
    const run = sigil(["tenants", "list"], { DATA_DIR: empty });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No Sigil installation in ${empty}`);
    expect(existsSync(empty)).toBe(false);
  });

  it("runs the compiled bundle, rebuilt when a source it was built from is newer", () => {
    expect(sigil(["--help"]).code).toBe(0);
    const builtAt = statSync(bundle).mtimeMs;
    const source = join(CLI_DIR, "src", "output.ts");
    const later = new Date(Date.now() + 5_000);
    utimesSync(source, later, later);
    expect(sigil(["--help"]).code).toBe(0);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(builtAt);
  });
});
