import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminAuditLogModel, listBackupSets, readBackupSet, tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ok, signInSystemAdmin, type AdminSession } from "./admin-session.ts";
import { tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * The admin console's backups and maintenance control (routers/tenants.ts): each tenant's latest
 * backup with its size and time, "back up now" for one tenant or everything, and maintenance on /
 * off from the tenant's page, each audited.
 */
let env: TestEnv;
let admin: AdminSession;
let acme: TenantRow;
let backupDir: string;

beforeAll(async () => {
  backupDir = mkdtempSync(join(tmpdir(), "sigil-admin-backups-"));
  // Read once by the server's settings module (server-settings.ts backupSettings): set before the first call.
  process.env.BACKUP_DIR = backupDir;
  env = await useTestEnv();
  acme = await tenantModel.createTenant(tenantInput("acme"));
  await tenantModel.createTenant(tenantInput("globex"));
  admin = await signInSystemAdmin();
});

afterAll(() => {
  delete process.env.BACKUP_DIR;
  env.cleanup();
  rmSync(backupDir, { recursive: true, force: true });
});

type Overview = {
  target: { dir: string; scheduled: boolean };
  tenants: { slug: string; latest: { outcome: string; bytes: number | null; takenAt: Date } | null }[];
};

describe("backups on the admin console", () => {
  test("no backup yet, then back up one tenant, then everything; each tenant shows its latest with size and time", async () => {
    const before = ok(await admin.call<Overview>("query", "tenants.backups"));
    expect(before.target).toMatchObject({ dir: backupDir, scheduled: true });
    expect(before.tenants.map((row) => [row.slug, row.latest])).toEqual([
      ["acme", null],
      ["globex", null],
    ]);

    const one = ok(await admin.call<{ files: number; failures: unknown[]; setPath: string }>("mutation", "tenants.backUpNow", { tenantIds: [acme.id] }));
    expect(one).toMatchObject({ files: 1, failures: [] });
    expect(one.setPath.startsWith(backupDir)).toBe(true);
    const state = ok(await admin.call<{ latest: { outcome: string; bytes: number } | null }>("query", "tenants.backupState", { id: acme.id }));
    expect(state.latest?.outcome).toBe("ok");
    expect(state.latest?.bytes).toBeGreaterThan(0);

    const all = ok(await admin.call<{ files: number }>("mutation", "tenants.backUpNow", {}));
    expect(all.files).toBe(3); // shared.sqlite and both tenants
    const after = ok(await admin.call<Overview>("query", "tenants.backups"));
    for (const row of after.tenants) expect(row.latest).toMatchObject({ outcome: "ok" });
    const actions = (await adminAuditLogModel.findMany({})).map((entry) => entry.action);
    expect(actions.filter((action) => action === "admin.backup_taken")).toHaveLength(2);
  });

  test("back up everything as a run: a result per tenant as its file is done, one complete set, no cancel", async () => {
    const started = ok(await admin.call<{ id: string; total: number }>("mutation", "maintenance.start", { kind: "backup" }));
    expect(started.total).toBe(2);
    const refused = await admin.call("mutation", "maintenance.cancel", { id: started.id });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toMatch(/cannot be cancelled/);
    let run = ok(
      await admin.call<{ status: string; done: number; failed: number; outcomes: Record<string, number> }>("query", "maintenance.get", { id: started.id }),
    );
    while (run.status === "running") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = ok(await admin.call<typeof run>("query", "maintenance.get", { id: started.id }));
    }
    expect(run).toMatchObject({ status: "completed", done: 2, failed: 0 });
    // Nothing was written since the previous test's set: both files are linked, not copied again.
    expect((run.outcomes.copied ?? 0) + (run.outcomes.reused ?? 0)).toBe(2);
    const results = ok(await admin.call<{ data: { slug: string; outcome: string; detail: string }[] }>("query", "maintenance.results", { runId: started.id }));
    expect(results.data.map((result) => result.slug).sort()).toEqual(["acme", "globex"]);
    const sets = listBackupSets(backupDir);
    const { manifest } = readBackupSet(sets.at(-1) ?? "");
    expect(manifest.scope).toBe("all");
    expect(manifest.files.map((file) => file.slug ?? "shared").sort()).toEqual(["acme", "globex", "shared"]);
  });

  test("maintenance on and off from the tenant's page, audited; a missing reason is refused", async () => {
    const refused = await admin.call("mutation", "tenants.enterMaintenance", { id: acme.id, reason: " " });
    expect(refused.status).toBe(400);
    const on = ok(
      await admin.call<{ maintenance: { reason: string; by: string } | null }>("mutation", "tenants.enterMaintenance", { id: acme.id, reason: "upgrade" }),
    );
    expect(on.maintenance).toMatchObject({ reason: "upgrade", by: "root@sigil.test" });
    const off = ok(await admin.call<{ maintenance: unknown }>("mutation", "tenants.leaveMaintenance", { id: acme.id }));
    expect(off.maintenance).toBeNull();
    const actions = (await adminAuditLogModel.findMany({})).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["tenant.maintenance_on", "tenant.maintenance_off"]));
  });
});
