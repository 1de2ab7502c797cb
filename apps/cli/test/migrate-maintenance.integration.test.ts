/**
 * `sigil migrate --maintenance`: each tenant to migrate refuses writes (maintenance) from before
 * the run until its own migration is done, and then gets back exactly the state it had: off, or
 * the operator's own maintenance with its reason.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminAuditLogModel, HybridDatabaseManager, tenantMaintenanceOf, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOneMoreMigration } from "./migration-fixture.ts";
import { onInstallation, runSigil } from "./run-sigil.ts";

let root: string;
let dataDir: string;
let newerMigrations: string;

function sigil(args: string[]) {
  return runSigil(args, { DATA_DIR: dataDir, SIGIL_TENANT_MIGRATIONS_DIR: newerMigrations });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sigil-cli-migrate-maintenance-"));
  dataDir = join(root, "data");
  newerMigrations = join(root, "tenant-migrations");
  withOneMoreMigration(newerMigrations);
  await HybridDatabaseManager.configure({ dataDir }).runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  for (const slug of ["acme", "globex", "initech"]) await tenantModel.createTenant({ name: slug, slug, plan: "free", settings: { features: [], limits } });
  HybridDatabaseManager.closeInstance();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("sigil migrate --maintenance", () => {
  it("holds each migrated tenant in maintenance during its migration and puts its previous state back", async () => {
    // Set in the registry alone: `sigil maintenance on` would also write the tenant's own log,
    // opening (and so migrating) its file before the run.
    await onInstallation(dataDir, async () => {
      const initech = await tenantModel.findBySlug("initech");
      if (!initech) throw new Error("no initech");
      await tenantModel.setMaintenance(initech.id, { since: new Date(), reason: "moving to a new disk", until: null, by: "ops@host" });
    });
    const run = sigil(["migrate", "--maintenance", "--tenant", "acme", "--tenant", "initech", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: 2, maintenance: 2 });

    await onInstallation(dataDir, async () => {
      const bySlug = async (slug: string) => {
        const tenant = await tenantModel.findBySlug(slug);
        if (!tenant) throw new Error(`no ${slug}`);
        return tenant;
      };
      expect(tenantMaintenanceOf(await bySlug("acme"))).toBeNull();
      expect(tenantMaintenanceOf(await bySlug("initech"))?.reason).toBe("moving to a new disk");
      const entries = await adminAuditLogModel.findMany({ orderBy: { column: "createdAt", direction: "asc" } });
      const trail = (slug: string) =>
        entries
          .filter((entry) => entry.tenantSlug === slug && entry.action.startsWith("tenant.maintenance"))
          .map((entry) => `${entry.action} ${typeof entry.details.reason === "string" ? entry.details.reason : ""}`);
      expect(trail("acme")).toEqual([
        expect.stringMatching(/^tenant\.maintenance_on schema migration to v\d+$/),
        expect.stringMatching(/^tenant\.maintenance_off schema migration to v\d+$/),
      ]);
      expect(trail("initech")).toEqual([
        expect.stringMatching(/^tenant\.maintenance_on schema migration to v\d+$/),
        "tenant.maintenance_on moving to a new disk",
      ]);
      // A tenant not being migrated is never touched.
      expect(trail("globex")).toEqual([]);
    });
  });
});
