import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminAuditLogModel, HybridDatabaseManager, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSigil } from "./run-sigil.ts";

/** `sigil maintenance on|off|status`: one workspace's maintenance mode, from the shell, audited. */
let dataDir: string;
const sigil = (args: string[]) => runSigil(args, { DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-maintenance-"));
  await HybridDatabaseManager.configure({ dataDir }).runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  await tenantModel.createTenant({ name: "Acme", slug: "acme", plan: "pro", settings: { features: [], limits } });
  HybridDatabaseManager.closeInstance();
});

afterAll(() => {
  HybridDatabaseManager.closeInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("sigil maintenance", () => {
  it("turns maintenance on with a reason and an end, shows it, and turns it off, auditing the operator", async () => {
    const before = Date.now();
    const on = sigil(["maintenance", "on", "--tenant", "acme", "--reason", "moving disks", "--for", "30m", "--json"]);
    expect(on.stderr).toBe("");
    expect(on.code).toBe(0);
    const state = JSON.parse(on.stdout) as { slug: string; maintenance: { reason: string; until: string; by: string } };
    expect(state.maintenance.reason).toBe("moving disks");
    expect(Date.parse(state.maintenance.until) - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(state.maintenance.by).toMatch(/.+@.+/);

    const status = sigil(["maintenance", "status", "--tenant", "acme"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('The workspace "acme" is in maintenance (moving disks); expected to end at');

    const off = sigil(["maintenance", "off", "--tenant", "acme"]);
    expect(off.stdout.trim()).toBe('Workspace "acme" is out of maintenance: writes are accepted again.');
    expect(JSON.parse(sigil(["maintenance", "status", "--tenant", "acme", "--json"]).stdout)).toEqual({ slug: "acme", maintenance: null });

    HybridDatabaseManager.configure({ dataDir });
    const actions = (await adminAuditLogModel.findMany({ orderBy: { column: "createdAt", direction: "asc" } })).map((entry) => entry.action);
    expect(actions).toEqual(["tenant.maintenance_on", "tenant.maintenance_off"]);
    HybridDatabaseManager.closeInstance();
  });

  it("refuses a bad command line with exit code 2 and a sentence, changing nothing", () => {
    const badUntil = sigil(["maintenance", "on", "--tenant", "acme", "--reason", "x", "--until", "tomorrow"]);
    expect(badUntil.code).toBe(2);
    expect(badUntil.stderr).toContain('--until must be an ISO 8601 time such as 2026-12-24T18:00:00Z; got "tomorrow".');
    const badFor = sigil(["maintenance", "on", "--tenant", "acme", "--reason", "x", "--for", "soon"]);
    expect(badFor.code).toBe(2);
    const noReason = sigil(["maintenance", "on", "--tenant", "acme", "--reason", "  "]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("--reason: Say why the workspace is in maintenance");
    const unknown = sigil(["maintenance", "status", "--tenant", "umbrella"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No workspace "umbrella" exists.');
    expect(JSON.parse(sigil(["maintenance", "status", "--tenant", "acme", "--json"]).stdout)).toEqual({ slug: "acme", maintenance: null });
  });
});
