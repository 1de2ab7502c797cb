/**
 * The read-only inspection that verifiers outside packages/db use (reliability/): it reports what
 * a tenant file holds and whether SQLite finds it intact, and it never changes a file.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TenantDatabaseMissingError } from "../src/errors.ts";
import type { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { inspectSharedFile, inspectTenantFile } from "../src/inspection.ts";
import { promptModel } from "../src/models/prompt.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

describe("inspectTenantFile", () => {
  let env: { dataDir: string; manager: HybridDatabaseManager; cleanup: () => void };
  beforeEach(async () => {
    env = await useTempDataDir();
  });
  afterEach(() => env.cleanup());

  it("returns the rows of the tables asked for and an ok integrity check", async () => {
    const [acme] = await createTenants("acme");
    if (!acme) throw new Error("no tenant");
    const prompt = await tenantContext.runWithTenant(acme.id, () => promptModel.create({ name: "p1", template: "Hello {{name}}" }));
    env.manager.closeTenantDatabase(acme.id);
    const seen = inspectTenantFile(env.dataDir, acme.id, { integrity: true, tables: ["prompts", "executions"] });
    expect(seen.integrity).toEqual(["ok"]);
    expect(seen.rows.prompts?.map((row) => row.id)).toEqual([prompt.id]);
    expect(seen.rows.executions).toEqual([]);
    expect(seen.tables).toContain("prompt_versions");
    expect(inspectSharedFile(env.dataDir, { integrity: true }).integrity).toEqual(["ok"]);
  });

  it("changes nothing in the file", async () => {
    const [acme] = await createTenants("acme");
    if (!acme) throw new Error("no tenant");
    env.manager.closeTenantDatabase(acme.id);
    const path = env.manager.tenantDatabasePath(acme.id);
    const before = { bytes: readFileSync(path), mtime: statSync(path).mtimeMs };
    inspectTenantFile(env.dataDir, acme.id, { integrity: true, tables: ["prompts"] });
    expect(readFileSync(path).equals(before.bytes)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(before.mtime);
  });

  it("reports damage instead of ok", async () => {
    const [acme] = await createTenants("acme");
    if (!acme) throw new Error("no tenant");
    await tenantContext.runWithTenant(acme.id, async () => {
      for (let i = 0; i < 200; i += 1) await promptModel.create({ name: `p${i}`, template: "x".repeat(500) });
    });
    env.manager.closeTenantDatabase(acme.id);
    const path = env.manager.tenantDatabasePath(acme.id);
    const bytes = readFileSync(path);
    // Overwrite a page in the middle of the file (not the header): a b-tree page becomes garbage.
    bytes.fill(0x5a, 4096 * 5, 4096 * 6);
    writeFileSync(path, bytes);
    let integrity: string[];
    try {
      integrity = inspectTenantFile(env.dataDir, acme.id, { integrity: true }).integrity;
    } catch (error) {
      // A page SQLite cannot even parse while listing the tables is damage too.
      integrity = [String(error)];
    }
    expect(integrity).not.toEqual(["ok"]);
  });

  it("refuses an unknown table, a tenant id that is no registry id and a missing file", async () => {
    const [acme] = await createTenants("acme");
    if (!acme) throw new Error("no tenant");
    expect(() => inspectTenantFile(env.dataDir, acme.id, { tables: ['prompts" ; DROP TABLE prompts; --'] })).toThrow(/has no table/);
    expect(() => inspectTenantFile(env.dataDir, "../shared")).toThrow();
    expect(() => inspectTenantFile(env.dataDir, "00000000-0000-4000-8000-000000000000")).toThrow(TenantDatabaseMissingError);
  });
});
