/**
 * docs/architecture.md, Tenant identity: a hostile identifier is rejected, never stripped to fit, and
 * never reaches the file system. Every case runs against a real data directory and checks that
 * nothing was created or opened in it.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidTenantIdentifierError, TenantDatabaseMissingError, TenantNotFoundError } from "../src/errors.ts";
import type { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { tenantDatabasePath } from "../src/identifiers.ts";
import { promptModel } from "../src/models/prompt.ts";
import { tenantModel } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { tenantInput, useTempDataDir } from "./helpers.ts";
import { filesOfTenant, listDir, nonSharedEntries, openTenantFiles, rawRegistryCount, rejectionOf, SHARED_FILES, thrownBy } from "./integration-helpers.ts";

interface HostileCase {
  label: string;
  value: string;
}

/** Values a request could carry as a slug (subdomain, header, path segment). */
const HOSTILE_SLUGS: HostileCase[] = [
  { label: "parent traversal ../x", value: "../x" },
  { label: "encoded traversal ..%2f", value: "..%2f" },
  { label: "encoded traversal ..%2fetc", value: "..%2fetc" },
  { label: "fully encoded %2e%2e%2f", value: "%2e%2e%2f" },
  { label: "dot", value: "." },
  { label: "dot-dot", value: ".." },
  { label: "slash a/b", value: "a/b" },
  { label: "backslash a\\b", value: "a\\b" },
  { label: "absolute path", value: "/etc/passwd" },
  { label: "trailing NUL", value: "acme\u0000" },
  { label: "inner NUL", value: "ac\u0000me" },
  { label: "NUL then traversal", value: "acme\u0000/../../x" },
  { label: "upper case ACME", value: "ACME" },
  { label: "mixed case Acme", value: "Acme" },
  { label: "Cyrillic а look-alike", value: "\u0430cme" },
  { label: "full-width letters", value: "\uff41\uff43\uff4d\uff45" },
  { label: "zero-width space", value: "ac\u200bme" },
  { label: "combining accent", value: "acme\u0301" },
  { label: "300 characters", value: "a".repeat(300) },
  { label: "51 characters (one over the limit)", value: "a".repeat(51) },
  { label: "empty string", value: "" },
  { label: "single space", value: " " },
  { label: "surrounding whitespace", value: " acme " },
  { label: "trailing newline", value: "acme\n" },
  { label: "IPv4 literal 127.0.0.1", value: "127.0.0.1" },
  { label: "IPv6 literal ::1", value: "::1" },
  { label: "bracketed IPv6 [::1]", value: "[::1]" },
  { label: "host with port", value: "acme:3000" },
  { label: "dotted host", value: "acme.localhost" },
  { label: "leading hyphen", value: "-acme" },
  { label: "trailing hyphen", value: "acme-" },
  { label: "only a hyphen", value: "-" },
  { label: "underscore", value: "ac_me" },
  { label: "reserved admin", value: "admin" },
  { label: "reserved www", value: "www" },
  { label: "reserved api", value: "api" },
  { label: "SQL fragment", value: "x' OR '1'='1" },
  { label: "shell fragment", value: "$(rm -rf ~)" },
];

const SAMPLE_UUID = "3f1c1d7e-2b8a-4c3d-9e5f-6a7b8c9d0e1f";
/** Values that look almost like a registry id: only the exact lower-case UUID may name a file. */
const HOSTILE_TENANT_IDS: HostileCase[] = [
  ...HOSTILE_SLUGS,
  { label: "a valid slug (not a UUID)", value: "acme" },
  { label: "upper-case UUID", value: SAMPLE_UUID.toUpperCase() },
  { label: "UUID with trailing newline", value: `${SAMPLE_UUID}\n` },
  { label: "UUID with trailing NUL", value: `${SAMPLE_UUID}\u0000` },
  { label: "UUID with traversal prefix", value: `../${SAMPLE_UUID}` },
  { label: "UUID with traversal suffix", value: `${SAMPLE_UUID}/../../x` },
  { label: "UUID as a file name", value: `tenant_${SAMPLE_UUID}.sqlite` },
  { label: "UUID in braces", value: `{${SAMPLE_UUID}}` },
  { label: "UUID without hyphens", value: SAMPLE_UUID.replace(/-/g, "") },
  { label: "UUID with Cyrillic е", value: SAMPLE_UUID.replace("e", "\u0435") },
  { label: "nil UUID", value: "00000000-0000-0000-0000-000000000000" },
];

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let manager: HybridDatabaseManager;

beforeAll(async () => {
  env = await useTempDataDir({ tenantCacheSize: 4 });
  manager = env.manager;
});

afterAll(async () => {
  await env.cleanup();
});

/** Only shared.sqlite and its -wal/-shm may exist; no tenant file is open. */
function expectPristine(dataDir: string): void {
  expect(nonSharedEntries(dataDir)).toEqual([]);
  expect(listDir(dataDir).every((name) => SHARED_FILES.has(name))).toBe(true);
  expect(openTenantFiles(dataDir)).toEqual([]);
}

describe("hostile slugs are rejected by tenantModel.createTenant", () => {
  it.each(HOSTILE_SLUGS)("$label", async ({ value }) => {
    expectPristine(env.dataDir);
    const before = listDir(env.dataDir);
    const tenantsBefore = rawRegistryCount(manager);

    const error = await rejectionOf(tenantModel.createTenant(tenantInput(value)));

    expect(error).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(listDir(env.dataDir)).toEqual(before);
    expectPristine(env.dataDir);
    expect(rawRegistryCount(manager)).toBe(tenantsBefore);
    expect(manager.poolStats().open).toBe(0);
  });
});

describe("hostile tenant ids never reach the file system", () => {
  it.each(HOSTILE_TENANT_IDS)("$label", async ({ value }) => {
    expectPristine(env.dataDir);
    const before = listDir(env.dataDir);
    let ran = false;

    // runWithTenant rejects before running the callback or touching any file.
    const runError = await rejectionOf(
      tenantContext.runWithTenant(value, async () => {
        ran = true;
        return promptModel.findMany();
      }),
    );
    expect(runError).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(ran).toBe(false);

    // The manager refuses to lease a handle.
    expect(thrownBy(() => manager.acquireTenantDatabase(value))).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(thrownBy(() => manager.withTenantDatabase(value, () => 1))).toBeInstanceOf(InvalidTenantIdentifierError);

    // The one function that names tenant files refuses it, whatever the data directory.
    expect(thrownBy(() => tenantDatabasePath(env.dataDir, value))).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(thrownBy(() => tenantDatabasePath("/", value))).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(thrownBy(() => manager.tenantDatabasePath(value))).toBeInstanceOf(InvalidTenantIdentifierError);

    // Status changes and deletion refuse it too, without touching the registry.
    expect(await rejectionOf(tenantModel.suspend(value))).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(await rejectionOf(tenantModel.deleteTenant(value))).toBeInstanceOf(InvalidTenantIdentifierError);

    expect(listDir(env.dataDir)).toEqual(before);
    expectPristine(env.dataDir);
    expect(manager.poolStats()).toMatchObject({ open: 0, inUse: 0 });
  });

  it("the error message never echoes more than 80 characters of the value", () => {
    const error = thrownBy(() => manager.acquireTenantDatabase("x".repeat(10_000)));
    expect(error).toBeInstanceOf(InvalidTenantIdentifierError);
    expect(error instanceof Error ? error.message.length : Infinity).toBeLessThan(200);
  });
});

describe("slugs at the edge of the rules are accepted and never become file names", () => {
  const good = ["a", "0", "a-b", "acme1", "a".repeat(50), "x-1-y"];

  it.each(good)("%s", async (slug) => {
    const row = await tenantModel.createTenant(tenantInput(slug));
    try {
      expect(row.slug).toBe(slug);
      // Exactly one new file, named after the registry UUID only.
      expect(nonSharedEntries(env.dataDir)).toEqual([`tenant_${row.id}.sqlite`]);
    } finally {
      await tenantModel.deleteTenant(row.id);
    }
    expectPristine(env.dataDir);
  });
});

describe("well-formed ids that do not name a usable tenant", () => {
  it("a UUID that is not in the registry → TenantNotFoundError, no file created", async () => {
    const id = randomUUID();
    expectPristine(env.dataDir);

    expect(thrownBy(() => manager.acquireTenantDatabase(id))).toBeInstanceOf(TenantNotFoundError);
    expect(await rejectionOf(tenantContext.runWithTenant(id, () => promptModel.findMany()))).toBeInstanceOf(TenantNotFoundError);
    expect(await rejectionOf(tenantContext.runWithTenant(id, () => promptModel.create({ name: "x", template: "y" })))).toBeInstanceOf(TenantNotFoundError);

    expectPristine(env.dataDir);
    expect(manager.poolStats()).toMatchObject({ open: 0, inUse: 0 });
  });

  it("shared rows cannot be written for a UUID that is not in the registry", async () => {
    const id = randomUUID();
    await expect(tenantContext.runWithTenant(id, () => userModel.create({ email: "ghost@example.test", name: "Ghost" }))).rejects.toThrow();
    expect(
      (
        manager.getSharedDatabase().$client.prepare("SELECT count(*) AS n FROM users WHERE tenant_id = ?").get(id) as {
          n: number;
        }
      ).n,
    ).toBe(0);
    expectPristine(env.dataDir);
  });

  it("an orphan file whose tenant is not registered is never opened", async () => {
    // A file left behind (e.g. restored by hand) must not make an unregistered id usable.
    const row = await tenantModel.createTenant(tenantInput("orphan"));
    manager.getSharedDatabase().$client.prepare("DELETE FROM tenants WHERE id = ?").run(row.id);
    try {
      expect(thrownBy(() => manager.acquireTenantDatabase(row.id))).toBeInstanceOf(TenantNotFoundError);
      expect(openTenantFiles(env.dataDir)).toEqual([]);
    } finally {
      rmSync(join(env.dataDir, `tenant_${row.id}.sqlite`), { force: true });
    }
    expectPristine(env.dataDir);
  });

  it("a registered tenant whose file was deleted → TenantDatabaseMissingError, no empty file created", async () => {
    const row = await tenantModel.createTenant(tenantInput("vanished"));
    try {
      rmSync(join(env.dataDir, `tenant_${row.id}.sqlite`));
      expect(filesOfTenant(env.dataDir, row.id)).toEqual([]);

      expect(thrownBy(() => manager.acquireTenantDatabase(row.id))).toBeInstanceOf(TenantDatabaseMissingError);
      expect(await rejectionOf(tenantContext.runWithTenant(row.id, () => promptModel.create({ name: "x", template: "y" })))).toBeInstanceOf(
        TenantDatabaseMissingError,
      );
      // Asking again does not change anything: still missing, still no file.
      expect(thrownBy(() => manager.acquireTenantDatabase(row.id))).toBeInstanceOf(TenantDatabaseMissingError);

      expect(filesOfTenant(env.dataDir, row.id)).toEqual([]);
      expect(openTenantFiles(env.dataDir)).toEqual([]);
      expect(manager.isTenantOpen(row.id)).toBe(false);
    } finally {
      await tenantModel.deleteTenant(row.id);
    }
    expectPristine(env.dataDir);
  });

  it("a file deleted after its handle was used and closed → TenantDatabaseMissingError", async () => {
    const row = await tenantModel.createTenant(tenantInput("vanished-later"));
    try {
      await tenantContext.runWithTenant(row.id, () => promptModel.create({ name: "p", template: "t" }));
      manager.closeTenantDatabase(row.id);
      for (const name of filesOfTenant(env.dataDir, row.id)) rmSync(join(env.dataDir, name));

      expect(thrownBy(() => manager.acquireTenantDatabase(row.id))).toBeInstanceOf(TenantDatabaseMissingError);
      expect(filesOfTenant(env.dataDir, row.id)).toEqual([]);
    } finally {
      await tenantModel.deleteTenant(row.id);
    }
    expectPristine(env.dataDir);
  });

  it("a file deleted while its idle handle is cached → TenantDatabaseMissingError, not writes into an unlinked file", async () => {
    // The LRU keeps idle handles open. If the file is removed behind its back (operator, restore,
    // disk cleanup), the cached connection still points at the unlinked inode: a write through it
    // would be acknowledged and then lost when the handle closes.
    const row = await tenantModel.createTenant(tenantInput("vanished-cached"));
    try {
      await tenantContext.runWithTenant(row.id, () => promptModel.create({ name: "p", template: "t" }));
      expect(manager.isTenantOpen(row.id)).toBe(true);
      for (const name of filesOfTenant(env.dataDir, row.id)) rmSync(join(env.dataDir, name));

      let outcome: unknown;
      try {
        await tenantContext.runWithTenant(row.id, () => promptModel.create({ name: "lost", template: "t" }));
        outcome = "the write was acknowledged into a deleted file";
      } catch (error) {
        outcome = error;
      }
      expect(outcome).toBeInstanceOf(TenantDatabaseMissingError);
      expect(filesOfTenant(env.dataDir, row.id)).toEqual([]);
    } finally {
      await tenantModel.deleteTenant(row.id);
    }
    expectPristine(env.dataDir);
  });
});
