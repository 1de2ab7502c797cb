import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSigil } from "./run-sigil.ts";

/** `sigil backup` and `sigil restore` from the shell: results, --json, exit codes, refusals. */
let dataDir: string;
let outDir: string;
const sigil = (args: string[]) => runSigil(args, { DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-backup-"));
  outDir = join(dataDir, "..", `${dataDir.split("/").at(-1) ?? "x"}-sets`);
  await HybridDatabaseManager.configure({ dataDir }).runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  await tenantModel.createTenant({ name: "Acme", slug: "acme", plan: "pro", settings: { features: [], limits } });
  HybridDatabaseManager.closeInstance();
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

describe("sigil backup and restore", () => {
  it("backs up the installation into a set with a manifest, and restores a tenant from it", () => {
    const backup = sigil(["backup", "--all", "--out", outDir, "--json"]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    const report = JSON.parse(backup.stdout) as { setPath: string; manifest: { files: { slug: string | null; sha256: string }[]; failures: unknown[] } };
    expect(report.manifest.files.map((file) => file.slug)).toEqual([null, "acme"]);
    expect(report.manifest.failures).toEqual([]);

    const table = sigil(["backup", "--tenant", "acme", "--out", outDir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Backup set .+sigil-backup-\d{8}T\d{9}Z$/m);
    expect(table.stdout).toMatch(/acme\s+(copied|unchanged, linked)/);

    const restore = sigil(["restore", "--tenant", "acme", "--from", report.setPath]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`Restored workspace "acme" from ${report.setPath}`);
  });

  it("refuses a damaged copy with exit code 1, and a wrong command line with exit code 2", () => {
    const backup = JSON.parse(sigil(["backup", "--tenant", "acme", "--out", outDir, "--json"]).stdout) as { setPath: string };
    const manifestPath = join(backup.setPath, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: { sha256: string }[] };
    const first = manifest.files[0];
    if (first) first.sha256 = "0".repeat(64);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const refused = sigil(["restore", "--tenant", "acme", "--from", backup.setPath]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/sigil: The copy of "acme" in .+ is damaged: its SHA-256 is [0-9a-f]{64}, the manifest says 0{64}\. Nothing was restored\./);

    expect(sigil(["backup"]).code).toBe(2);
    expect(sigil(["backup", "--all", "--tenant", "acme"]).code).toBe(2);
    expect(sigil(["restore", "--tenant", "acme"]).code).toBe(2);
    const unknown = sigil(["backup", "--tenant", "umbrella", "--out", outDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No workspace "umbrella" exists.');
  });

  it("restores the whole installation only while no process holds it open", async () => {
    const set = JSON.parse(sigil(["backup", "--all", "--out", outDir, "--json"]).stdout) as { setPath: string };
    expect(sigil(["tenants", "create", "initech", "--name", "Initech", "--owner-email", "bill@initech.test"]).code).toBe(0);

    // Another process with shared.sqlite open, as the running server has.
    const holder = spawn(
      process.execPath,
      ["-e", `require("fs").openSync(${JSON.stringify(join(dataDir, "shared.sqlite"))}, "r"); console.log("open"); setInterval(() => {}, 1000);`],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    await new Promise((resolve) => holder.stdout.once("data", resolve));
    const refused = sigil(["restore", "--all", "--from", set.setPath]);
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`is in use by process ${String(holder.pid)} (the server or the worker). Stop it first`);
    expect(sigil(["tenants", "show", "initech"]).code).toBe(0);

    const restored = sigil(["restore", "--all", "--from", set.setPath]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Restored the whole installation from ${set.setPath}`);
    const slugs = (JSON.parse(sigil(["tenants", "list", "--json"]).stdout) as { tenants: { slug: string }[] }).tenants.map((tenant) => tenant.slug);
    expect(slugs).toEqual(["acme"]);
    expect(sigil(["doctor"]).stdout).not.toContain("acme:");
  });
});
