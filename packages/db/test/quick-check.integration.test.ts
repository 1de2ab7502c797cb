/**
 * HybridDatabaseManager.quickCheck against real files: SQLite's `PRAGMA quick_check` on a
 * connection of its own. A healthy file is ok; a damaged one is not, with SQLite's own words; a
 * missing file or an unknown tenant is a clear error, and no check ever creates a file.
 */
import { randomUUID } from "node:crypto";
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TenantDatabaseMissingError, TenantNotFoundError } from "../src/errors.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { quickCheckTenants, type TenantHealth } from "../src/tenant-health.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";
import { filesOfTenant, listDir, openTenantFiles, thrownBy } from "./integration-helpers.ts";

let env: Awaited<ReturnType<typeof useTempDataDir>>;

beforeEach(async () => {
  env = await useTempDataDir();
});
afterEach(() => env.cleanup());

/** A tenant with enough prompts that its `prompts` table spans several pages. */
async function tenantWithData(slug: string): Promise<TenantRow> {
  const [tenant] = await createTenants(slug);
  if (!tenant) throw new Error("no tenant");
  await tenantContext.runWithTenant(tenant.id, async () => {
    const author = await userModel.create({ email: `a@${slug}.test`, name: "Author", role: "admin", status: "active" });
    for (let i = 0; i < 60; i += 1) {
      await promptModel.create({ name: `prompt ${i}`, description: "x".repeat(200), template: `Hello {{name}} ${"y".repeat(300)}`, createdBy: author.id });
    }
  });
  // Close the pool's handle: the WAL is checkpointed into the file, which we then damage.
  env.manager.closeTenantDatabase(tenant.id);
  return tenant;
}

/** Page size and the root page of a table, read with a plain connection (closed again). */
function layoutOf(path: string, table: string): { pageSize: number; rootPage: number } {
  const db = new Database(path, { fileMustExist: true, readonly: true });
  try {
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    const row = db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { rootpage: number } | undefined;
    if (!row) throw new Error(`no table ${table}`);
    return { pageSize, rootPage: row.rootpage };
  } finally {
    db.close();
  }
}

function readPage(path: string, page: number, pageSize: number): Buffer {
  const buffer = Buffer.alloc(pageSize);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buffer, 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return buffer;
}

function overwrite(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, "r+");
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

describe("HybridDatabaseManager.quickCheck", () => {
  it("reports a healthy file as ok, and leaves no connection open", async () => {
    const tenant = await tenantWithData("healthy");
    expect(env.manager.quickCheck(tenant.id)).toEqual({ ok: true, result: "ok" });
    expect(openTenantFiles(env.dataDir).filter((f) => f.tenantId === tenant.id)).toEqual([]);
    expect(env.manager.isTenantOpen(tenant.id)).toBe(false);
  });

  it("works while the pool holds the tenant open, and the handle stays usable", async () => {
    const tenant = await tenantWithData("busy");
    const lease = env.manager.acquireTenantDatabase(tenant.id);
    try {
      expect(env.manager.quickCheck(tenant.id).ok).toBe(true);
      expect(lease.db.$client.prepare("SELECT count(*) AS n FROM prompts").get()).toEqual({ n: 60 });
    } finally {
      lease.release();
    }
  });

  it("reports a damaged leaf page as not ok, with the problems quick_check lists", async () => {
    const tenant = await tenantWithData("damaged");
    const path = env.manager.tenantDatabasePath(tenant.id);
    const { pageSize, rootPage } = layoutOf(path, "prompts");
    const root = readPage(path, rootPage, pageSize);
    // 60 prompts of ~500 bytes do not fit one page: the root is an interior table page (0x05)
    // whose right-most child (header bytes 8..11) is a leaf.
    expect(root[0]).toBe(0x05);
    const leaf = root.readUInt32BE(8);
    // A first free block pointing past the cells' end: SQLite's "free space corruption".
    overwrite(path, (leaf - 1) * pageSize, Buffer.from([0x0d, 0x0f, 0xf0]));
    const check = env.manager.quickCheck(tenant.id);
    expect(check.ok).toBe(false);
    expect(check.result).toMatch(new RegExp(`page ${leaf}: free space corruption`));
    // Other tenants are not affected.
    const [other] = await createTenants("neighbour");
    expect(other && env.manager.quickCheck(other.id)).toEqual({ ok: true, result: "ok" });
  });

  it("reports a damaged root page as not ok, with SQLite's error", async () => {
    const tenant = await tenantWithData("malformed");
    const path = env.manager.tenantDatabasePath(tenant.id);
    const { pageSize, rootPage } = layoutOf(path, "prompts");
    overwrite(path, (rootPage - 1) * pageSize, Buffer.alloc(pageSize, 0xa5));
    expect(env.manager.quickCheck(tenant.id)).toEqual({ ok: false, result: "database disk image is malformed" });
  });

  it("reports a file that is not a SQLite database as not ok, with the reason", async () => {
    const tenant = await tenantWithData("garbled");
    const path = env.manager.tenantDatabasePath(tenant.id);
    overwrite(path, 0, Buffer.from("this is not a sqlite file at all, sorry"));
    const check = env.manager.quickCheck(tenant.id);
    expect(check).toEqual({ ok: false, result: expect.stringMatching(/not a database/i) as unknown });
  });

  it("throws TenantDatabaseMissingError for a registered tenant without a file, and creates none", async () => {
    const [tenant] = await createTenants("vanished");
    if (!tenant) throw new Error("no tenant");
    env.manager.closeTenantDatabase(tenant.id);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${env.manager.tenantDatabasePath(tenant.id)}${suffix}`, { force: true });
    const before = listDir(env.dataDir);
    const error = thrownBy(() => env.manager.quickCheck(tenant.id));
    expect(error).toBeInstanceOf(TenantDatabaseMissingError);
    expect((error as Error).message).toMatch(/database file of tenant .* is missing/);
    expect(filesOfTenant(env.dataDir, tenant.id)).toEqual([]);
    expect(listDir(env.dataDir)).toEqual(before);
  });

  it("throws TenantNotFoundError for an id the registry does not know, and creates nothing", () => {
    const before = listDir(env.dataDir);
    const id = randomUUID();
    expect(thrownBy(() => env.manager.quickCheck(id))).toBeInstanceOf(TenantNotFoundError);
    expect(listDir(env.dataDir)).toEqual(before);
  });

  it("refuses an id that is not a tenant id (no path is built from it)", () => {
    const before = listDir(env.dataDir);
    expect(() => env.manager.quickCheck("../shared")).toThrow(/Invalid tenant id/);
    expect(listDir(env.dataDir)).toEqual(before);
  });
});

describe("quickCheckTenants: every tenant, on worker threads", () => {
  it.each([
    { concurrency: 2, mode: "worker threads" },
    { concurrency: 1, mode: "in process" },
  ])("$mode: one result per tenant (ok, damaged, missing, unregistered), no file created, no handle left open", async ({ concurrency }) => {
    const healthy = await createTenants(...Array.from({ length: 150 }, (_, index) => `fine-${index}`));
    const damaged = await tenantWithData("broken");
    const { pageSize, rootPage } = layoutOf(env.manager.tenantDatabasePath(damaged.id), "prompts");
    overwrite(env.manager.tenantDatabasePath(damaged.id), (rootPage - 1) * pageSize, Buffer.alloc(pageSize, 0xa5));
    const [gone] = await createTenants("gone");
    if (!gone) throw new Error("no tenant");
    env.manager.closeTenantDatabase(gone.id);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${env.manager.tenantDatabasePath(gone.id)}${suffix}`, { force: true });
    for (const tenant of healthy) env.manager.closeTenantDatabase(tenant.id);
    const unknown = randomUUID();
    const before = listDir(env.dataDir);

    const results: TenantHealth[] = [];
    await quickCheckTenants(
      [...healthy.map((t) => t.id), damaged.id, gone.id, unknown],
      { concurrency, onResult: (health) => results.push(health) },
      env.manager,
    );

    expect(results).toHaveLength(healthy.length + 3);
    const byId = new Map(results.map((result) => [result.tenantId, result]));
    for (const tenant of healthy)
      expect(byId.get(tenant.id), tenant.slug).toMatchObject({ state: "ok", result: "ok", databaseBytes: expect.any(Number) as unknown });
    expect(byId.get(healthy[0]?.id ?? "")?.databaseBytes).toBeGreaterThan(0);
    expect(byId.get(damaged.id)).toMatchObject({ state: "problem", result: "database disk image is malformed" });
    expect(byId.get(gone.id)).toMatchObject({ state: "missing", databaseBytes: 0 });
    expect(byId.get(unknown)).toMatchObject({ state: "deleted" });
    // Nothing created (a last connection closing may remove a -wal and -shm it checkpointed).
    expect(listDir(env.dataDir).filter((file) => !before.includes(file))).toEqual([]);
    expect(openTenantFiles(env.dataDir)).toEqual([]);
  });
});
