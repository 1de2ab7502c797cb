import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, promptModel, tenantContext, tenantModel, writeHypersigilFixture, type HypersigilFixture } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onInstallation, runSigil } from "./run-sigil.ts";

let dataDir: string;
let fixture: HypersigilFixture;
let clean: HypersigilFixture;

function sigil(args: string[]) {
  return runSigil(args, { DATA_DIR: dataDir });
}

const onDisk = <T>(fn: () => Promise<T>) => onInstallation(dataDir, fn);

const promptCount = (slug: string) =>
  onDisk(async () => {
    const tenant = await tenantModel.findBySlug(slug);
    if (!tenant) throw new Error(`no tenant ${slug}`);
    return tenantContext.runWithTenant(tenant.id, () => promptModel.count());
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-hypersigil-"));
  fixture = writeHypersigilFixture(join(dataDir, "hypersigil.sqlite"), { prompts: 20 });
  clean = writeHypersigilFixture(join(dataDir, "clean.sqlite"), { prompts: 10, corruptRow: false, danglingReferences: false });
  await onDisk(async () => {
    await HybridDatabaseManager.getInstance().runSharedMigrations();
    const limits = { users: 50, storage: 100, executions_per_month: 1000 };
    await tenantModel.createTenant({ name: "Initech", slug: "initech", plan: "pro", settings: { features: [], limits } });
    await tenantModel.createTenant({ name: "Clean", slug: "clean", plan: "pro", settings: { features: [], limits } });
  });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("sigil import-hypersigil", () => {
  it("refuses a workspace that does not exist, and wrong flags, with a sentence", () => {
    const missing = sigil(["import-hypersigil", fixture.path, "--tenant", "umbrella"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No workspace "umbrella" exists. Create it first');
    const mode = sigil(["import-hypersigil", fixture.path, "--tenant", "initech", "--on-error", "ignore"]);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--on-error must be one of skip, abort; got "ignore"');
    const key = sigil(["import-hypersigil", fixture.path, "--tenant", "initech", "--hypersigil-encryption-key", "short"]);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain("32 bytes in base64");
    // The key may come from the environment instead, kept out of the process list.
    const fromEnv = runSigil(["import-hypersigil", fixture.path, "--tenant", "initech", "--dry-run"], {
      DATA_DIR: dataDir,
      HYPERSIGIL_ENCRYPTION_KEY: "short",
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain("32 bytes in base64");
    const notHypersigil = sigil(["import-hypersigil", join(dataDir, "shared.sqlite"), "--tenant", "initech"]);
    expect(notHypersigil.code).toBe(1);
    expect(notHypersigil.stderr).toContain("is not a hypersigil database");
  });

  it("--dry-run --json prints the whole report and writes nothing; exit 1 because rows would fail", async () => {
    const run = sigil(["import-hypersigil", fixture.path, "--tenant", "initech", "--dry-run", "--json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      outcome: string;
      tables: Record<string, { imported: number; failed: number }>;
      failures: { table: string; id: string }[];
    };
    expect(report.outcome).toBe("dry-run");
    expect(report.tables.prompts).toMatchObject({ imported: 20, failed: 1 });
    expect(report.failures).toContainEqual(expect.objectContaining({ table: "prompts", id: fixture.corruptRow?.id }));
    expect(await promptCount("initech")).toBe(0);
  });

  it("imports, prints the report with the failed rows, and a rerun imports nothing new", async () => {
    const first = sigil(["import-hypersigil", fixture.path, "--tenant", "initech"]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/prompts\s+21\s+20\s+0\s+1/);
    expect(first.stdout).toContain(`prompts ${fixture.corruptRow?.id} (corrupt)`);
    expect(first.stdout).toMatch(/comments\s+48\s+47\s+0\s+1/);
    expect(first.stdout).toContain("Tables Sigil has no model for (not imported): deployment_embeddings 1");
    expect(first.stdout).toContain("provider/anthropic");
    expect(first.stdout).toMatch(/Imported, except \d+ row\(s\) that failed/);
    expect(first.stderr).toMatch(/rows written/);
    expect(await promptCount("initech")).toBe(20);
    const second = sigil(["import-hypersigil", fixture.path, "--tenant", "initech"]);
    expect(second.stdout).toMatch(/prompts\s+21\s+0\s+20\s+1/);
    // Comments on executions and on prompts alike are already there.
    expect(second.stdout).toMatch(/comments\s+48\s+0\s+47\s+1/);
    expect(await promptCount("initech")).toBe(20);
  });

  it("exits 0 when every row was imported", async () => {
    const run = sigil(["import-hypersigil", clean.path, "--tenant", "clean"]);
    expect(run.stderr).not.toContain("sigil:");
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd()).toMatch(/\nImported\.$/);
    expect(await promptCount("clean")).toBe(10);
  });

  it("--on-error abort writes nothing when a row cannot be imported", async () => {
    await onDisk(async () => {
      const limits = { users: 50, storage: 100, executions_per_month: 1000 };
      await tenantModel.createTenant({ name: "Strict", slug: "strict", plan: "pro", settings: { features: [], limits } });
    });
    const run = sigil(["import-hypersigil", fixture.path, "--tenant", "strict", "--on-error", "abort"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Aborted:");
    expect(await promptCount("strict")).toBe(0);
  });
});
