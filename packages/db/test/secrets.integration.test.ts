/**
 * Secrets at rest (src/secrets): provider keys are stored sealed with AES-256-GCM in shared.sqlite,
 * under SIGIL_SECRET_KEY or the key file DATA_DIR/secret.key; wrong keys and altered values are
 * refused with a clear error; rotation re-encrypts everything; plain rows are sealed once.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { NoTenantContextError, SecretUnreadableError, TenantScopeViolationError } from "../src/errors.ts";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { settingsModel, type SettingRow } from "../src/models/settings.ts";
import { settings } from "../src/schema/shared/settings.ts";
import { rotateSecretKey, SecretRotationError, sealPlainSecrets } from "../src/secrets/maintenance.ts";
import { isSealedSecret } from "../src/secrets/secret-box.ts";
import { NEXT_SECRET_KEY_FILE, SECRET_KEY_FILE } from "../src/secrets/secret-vault.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

const SECRET = "sk-live-PLAINTEXT-provider-key-0001";
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(secretKey?: Buffer) {
  const env = await useTempDataDir({ secretKey });
  cleanup = env.cleanup;
  return env;
}

async function saveProvider(tenantId: string, apiKey = SECRET): Promise<SettingRow> {
  return tenantContext.runWithTenant(tenantId, () =>
    settingsModel.upsert("provider", "openai", { baseUrl: "https://api.example.com/v1", apiKey, defaultModel: "m" }),
  );
}

async function storedRow(tenantId: string): Promise<SettingRow> {
  const row = await tenantContext.runWithTenant(tenantId, () => settingsModel.get("provider", "openai"));
  if (!row) throw new Error("no provider row");
  return row;
}

/** The plain key of a stored row, in its tenant's context (as the worker reads it). */
function reveal(row: SettingRow): Promise<string | undefined> {
  return tenantContext.runWithTenant(row.tenantId, () => settingsModel.revealSecret(row, "apiKey"));
}

/** Reopens the data directory with another key, as a restarted process would. */
function restartWith(dataDir: string, secretKey: Buffer | undefined): HybridDatabaseManager {
  return HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 8, secretKey });
}

describe("secrets at rest", () => {
  it("stores provider keys encrypted: shared.sqlite (and its WAL) never contains the plain key", async () => {
    const { dataDir, manager } = await setup();
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    const saved = await saveProvider(tenant.id);
    expect(isSealedSecret(saved.payload.apiKey)).toBe(true);
    expect(saved.payload.apiKeyHint).toBe("…0001");
    manager.getSharedDatabase().$client.pragma("wal_checkpoint(TRUNCATE)");
    for (const file of ["shared.sqlite", "shared.sqlite-wal"]) {
      const path = join(dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(SECRET))).toBe(false);
    }
    expect(await reveal(await storedRow(tenant.id))).toBe(SECRET);
  });

  it("creates the key file with mode 0600 on first use and reuses it after a restart", async () => {
    const { dataDir } = await setup();
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    await saveProvider(tenant.id);
    const keyFile = join(dataDir, SECRET_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, "utf8");
    restartWith(dataDir, undefined);
    expect(await reveal(await storedRow(tenant.id))).toBe(SECRET);
    expect(readFileSync(keyFile, "utf8")).toBe(key);
  });

  it("a wrong key is a clear error naming the key ids, never garbage", async () => {
    const { dataDir } = await setup(randomBytes(32));
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    await saveProvider(tenant.id);
    restartWith(dataDir, randomBytes(32));
    const row = await storedRow(tenant.id);
    await expect(reveal(row)).rejects.toThrow(SecretUnreadableError);
    await expect(reveal(row)).rejects.toThrow(/encrypted under key [0-9a-f]{12}, which this installation does not have/);
    // A restored data directory without its key file: same clear error.
    restartWith(dataDir, undefined);
    await expect(reveal(row)).rejects.toThrow(/Restore the key file/);
  });

  it("a tampered ciphertext, IV, tag or key id is refused", async () => {
    const { manager } = await setup();
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    const row = await saveProvider(tenant.id);
    const sealed = row.payload.apiKey as string;
    const parts = sealed.split(":");
    const flip = (text: string) => (text.startsWith("A") ? `B${text.slice(1)}` : `A${text.slice(1)}`);
    for (const index of [2, 3, 4]) {
      const altered = parts.map((part, i) => (i === index ? flip(part) : part)).join(":");
      manager
        .getSharedDatabase()
        .update(settings)
        .set({ payload: { ...row.payload, apiKey: altered } })
        .where(eq(settings.id, row.id))
        .run();
      await expect(reveal(await storedRow(tenant.id))).rejects.toThrow(/failed its integrity check/);
    }
    await expect(reveal({ ...row, payload: { apiKey: "sgs1:garbage" } })).rejects.toThrow(/not in the expected format/);
  });

  it("a secret is revealed only in its own tenant's context", async () => {
    await setup();
    const [acme, globex] = await createTenants("acme", "globex");
    if (!acme || !globex) throw new Error("no tenants");
    const row = await saveProvider(acme.id);
    await expect(settingsModel.revealSecret(row, "apiKey")).rejects.toBeInstanceOf(NoTenantContextError);
    await expect(tenantContext.runWithTenant(globex.id, () => settingsModel.revealSecret(row, "apiKey"))).rejects.toBeInstanceOf(TenantScopeViolationError);
  });

  it("rotation re-encrypts every tenant's secrets: readable under the new key only", async () => {
    const { dataDir, manager } = await setup();
    const tenants = await createTenants("acme", "globex");
    for (const [i, tenant] of tenants.entries()) await saveProvider(tenant.id, `${SECRET}-${i}`);
    const oldKey = readFileSync(join(dataDir, SECRET_KEY_FILE), "utf8");
    const result = await rotateSecretKey(manager, undefined);
    expect(result.rewritten).toBe(2);
    expect(result.to).not.toBe(result.from);
    expect(existsSync(join(dataDir, NEXT_SECRET_KEY_FILE))).toBe(false);
    expect(statSync(join(dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    for (const [i, tenant] of tenants.entries()) {
      const row = await storedRow(tenant.id);
      expect((row.payload.apiKey as string).split(":")[1]).toBe(result.to);
      expect(await reveal(row)).toBe(`${SECRET}-${i}`);
      expect(row.payload.apiKeyHint).toBe(`…${i === 0 ? "01-0" : "01-1"}`);
    }
    // The old key alone reads nothing any more.
    restartWith(dataDir, Buffer.from(oldKey.trim(), "base64"));
    const first = tenants[0];
    if (!first) throw new Error("no tenant");
    const firstRow = await storedRow(first.id);
    await expect(reveal(firstRow)).rejects.toThrow(SecretUnreadableError);
  });

  it("another process picks up a rotated key file by itself", async () => {
    const { dataDir, manager } = await setup();
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    await saveProvider(tenant.id);
    manager.secrets.load();
    // A second manager (another process) rotates the same data directory.
    const other = new HybridDatabaseManager({ dataDir, tenantCacheSize: 8, secretKey: undefined });
    await rotateSecretKey(other, undefined);
    other.close();
    expect(await reveal(await storedRow(tenant.id))).toBe(SECRET);
  });

  it("with SIGIL_SECRET_KEY, rotation needs SIGIL_SECRET_KEY_NEW and leaves secrets readable under it", async () => {
    const { dataDir, manager } = await setup(randomBytes(32));
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    await saveProvider(tenant.id);
    await expect(rotateSecretKey(manager, undefined)).rejects.toThrow(SecretRotationError);
    await expect(rotateSecretKey(manager, undefined)).rejects.toThrow(/SIGIL_SECRET_KEY_NEW/);
    const newKey = randomBytes(32);
    expect((await rotateSecretKey(manager, newKey)).rewritten).toBe(1);
    expect(existsSync(join(dataDir, SECRET_KEY_FILE))).toBe(false);
    restartWith(dataDir, newKey);
    expect(await reveal(await storedRow(tenant.id))).toBe(SECRET);
  });

  it("rows stored in plain text are sealed once (idempotent), keeping the key and its hint", async () => {
    const { dataDir, manager } = await setup();
    const [tenant] = await createTenants("acme");
    if (!tenant) throw new Error("no tenant");
    // As written before encryption at rest: the plain key in the payload.
    await tenantContext.runWithTenant(tenant.id, () =>
      settingsModel.create({ type: "provider", identifier: "openai", payload: { baseUrl: "https://api.example.com/v1", apiKey: SECRET, defaultModel: "m" } }),
    );
    expect((await storedRow(tenant.id)).payload.apiKey).toBe(SECRET);
    expect(await sealPlainSecrets(manager)).toBe(1);
    const row = await storedRow(tenant.id);
    expect(isSealedSecret(row.payload.apiKey)).toBe(true);
    expect(row.payload.apiKeyHint).toBe("…0001");
    expect(await sealPlainSecrets(manager)).toBe(0);
    expect((await storedRow(tenant.id)).payload.apiKey).toBe(row.payload.apiKey);
    expect(await reveal(row)).toBe(SECRET);
    expect(statSync(join(dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
  });
});
