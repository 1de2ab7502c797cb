import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, seedDemo, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSigil } from "./run-sigil.ts";

const ORPHAN_ID = "00000000-0000-4000-8000-000000000001";
let dataDir: string;
const files: Record<string, string> = {};

function sigil(args: string[], env: Record<string, string> = {}) {
  return runSigil(args, { DATA_DIR: dataDir, ...env });
}

interface Report {
  ok: boolean;
  checked: { tenants: number; files: number };
  findings: { level: string; check: string; message: string }[];
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-doctor-"));
  const manager = HybridDatabaseManager.configure({ dataDir });
  await manager.runSharedMigrations();
  // The demo: acme and globex with their published passwords, and the demo administrator.
  await seedDemo({ adminFromEnvironment: false });
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  for (const slug of ["initech", "hooli"]) {
    const tenant = await tenantModel.createTenant({ name: slug, slug, plan: "free", settings: { features: [], limits } });
    files[slug] = manager.tenantDatabasePath(tenant.id);
  }
  HybridDatabaseManager.closeInstance();
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("sigil doctor", () => {
  it("finds nothing wrong with a sound installation on localhost", () => {
    const run = sigil(["doctor"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("4 tenants and 4 tenant files checked: no problem found.\n");
    expect(run.stderr).toMatch(/4\/4 tenant files checked/);
  });

  it("names the published demo passwords that still sign in on a real domain", () => {
    const run = sigil(["doctor", "--json"], { ROOT_DOMAIN: "sigil.example.com" });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const demo = report.findings.filter((finding) => finding.check === "demo password").map((finding) => finding.message);
    expect(demo).toHaveLength(3);
    expect(demo.join("\n")).toContain("owner@acme.test / acme-demo-password (acme)");
  });

  it("reports a damaged file, a missing file and a file of no tenant, with exit code 1", () => {
    writeFileSync(files.initech ?? "", "not a database ".repeat(1_000));
    rmSync(`${files.initech ?? ""}-wal`, { force: true });
    rmSync(`${files.initech ?? ""}-shm`, { force: true });
    rmSync(files.hooli ?? "");
    copyFileSync(join(dataDir, "shared.sqlite"), join(dataDir, `tenant_${ORPHAN_ID}.sqlite`));
    const run = sigil(["doctor", "--json", "--concurrency", "1"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report).toMatchObject({ ok: false, checked: { tenants: 4, files: 4 } });
    expect(report.findings.map((finding) => `${finding.check}: ${finding.message}`).sort()).toEqual([
      expect.stringMatching(new RegExp(`^orphan file: .*tenant_${ORPHAN_ID}\\.sqlite \\(.*\\) belongs to no registered tenant\\.$`)),
      "tenant file: hooli: registered, but its file is missing.",
      "tenant integrity: initech: file is not a database; restore it from a backup: pnpm sigil restore --tenant initech --from <backup set folder>",
    ]);
  });

  it("notes a write-ahead log larger than --large-wal, without failing", () => {
    const acmeFile = sigil(["tenants", "show", "acme", "--json"]);
    const { id } = JSON.parse(acmeFile.stdout) as { id: string };
    // (SQLite drops this unreadable log when doctor's check opens the file: written before each run.)
    const wal = join(dataDir, `tenant_${id}.sqlite-wal`);
    writeFileSync(wal, Buffer.alloc(3 * 1024 * 1024));
    const noted = JSON.parse(sigil(["doctor", "--json", "--large-wal", "2"]).stdout) as Report;
    expect(noted.findings.filter((finding) => finding.check === "wal size")).toEqual([
      { level: "note", check: "wal size", message: "acme: its WAL is 3.0 MiB." },
    ]);
    writeFileSync(wal, Buffer.alloc(3 * 1024 * 1024));
    const quiet = JSON.parse(sigil(["doctor", "--json"]).stdout) as Report;
    expect(quiet.findings.filter((finding) => finding.check === "wal size")).toEqual([]);
  });

  it("refuses a bad --concurrency with exit code 2", () => {
    const run = sigil(["doctor", "--concurrency", "many"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--concurrency must be a whole number from 1 to 64; got "many".');
  });
});
