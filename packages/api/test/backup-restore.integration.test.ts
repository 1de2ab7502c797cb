import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  fileSha256,
  listBackupSets,
  promptModel,
  readBackupSet,
  tenantBackupModel,
  tenantContext,
  tenantModel,
  tenantUsageOf,
  verifySqliteFile,
  type TenantRow,
} from "@sigil/db";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pruneBackupSets, runBackup } from "../src/services/backups.ts";
import { restoreTenant } from "../src/services/restore.ts";
import { prefix, startWriter } from "./backup-support.ts";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";
import { startServerProcess, stopServerProcess } from "./server-process.ts";

/**
 * Backups (services/backups.ts) and restore (services/restore.ts), against real files with other
 * processes: a backup taken while another process commits in a loop holds one committed point;
 * restoring it while a second server process holds the tenant's file open gives that process the
 * restored content at its next request and leaves its handle usable; a damaged copy is refused
 * with a sentence and the live tenant is untouched.
 */
let env: TestEnv;
let outDir: string;
let acme: TenantRow;
let globex: TenantRow;
let server: { child: ChildProcess; url: string };
let apiKey: string;
const operator = { kind: "operator", name: "ops@test" } as const;

const promptNames = (tenant: TenantRow) =>
  tenantContext.runWithTenant(tenant.id, async () => (await promptModel.search({ pageSize: 100 })).data.map((prompt) => prompt.name));
const writerNumbers = async (tenant: TenantRow) =>
  tenantContext.runWithTenant(tenant.id, async () =>
    (await promptModel.findMany({}))
      .filter((prompt) => prompt.name.startsWith("w-"))
      .map((prompt) => Number(prompt.name.slice(2)))
      .sort((a, b) => a - b),
  );

beforeAll(async () => {
  env = await useTestEnv();
  outDir = mkdtempSync(join(tmpdir(), "sigil-backups-"));
  ({ tenant: acme } = await createTenantWithUsers("acme"));
  ({ tenant: globex } = await createTenantWithUsers("globex"));
  const cookie = await login("acme", "admin@acme.test");
  apiKey =
    (await call<{ plainKey: string }>("mutation", "apiKeys.create", { name: "r", scopes: ["prompts:read"] }, { tenant: "acme", cookie })).data?.plainKey ?? "";
  server = await startServerProcess(env.dataDir);
}, 60_000);

afterAll(async () => {
  await stopServerProcess(server);
  env.cleanup();
  rmSync(outDir, { recursive: true, force: true });
});

/** prompts.list on the other server process (whose pool holds acme's file open). */
async function remoteList(): Promise<{ names: string[]; total: number }> {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ pageSize: 100 })));
  const response = await fetch(`${server.url}/api/trpc/prompts.list?input=${input}`, { headers: { "x-tenant-id": "acme", authorization: `Bearer ${apiKey}` } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { result: { data: unknown } };
  const page = superjson.deserialize<{ data: { name: string }[]; total: number }>(body.result.data as Parameters<typeof superjson.deserialize>[0]);
  return { names: page.data.map((prompt) => prompt.name), total: page.total };
}

describe("backup while a writer commits, then restore", () => {
  test("the set holds a committed point; restoring it gives exactly that point to every process", async () => {
    expect((await remoteList()).total).toBe(0); // the other process now holds acme's file open
    const writer = await startWriter(env.dataDir, acme.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const report = await runBackup({ outDir, tenants: "all" });
    const written = await writer.stop();

    expect(report.manifest.failures).toEqual([]);
    expect(report.manifest.files.map((file) => file.slug)).toEqual([null, "acme", "globex"]);
    const entry = report.manifest.files.find((file) => file.slug === "acme");
    if (!entry) throw new Error("acme is missing from the manifest");
    const copy = join(report.setPath, entry.file);
    expect(await fileSha256(copy)).toBe(entry.sha256);
    expect(verifySqliteFile(copy, env.manager.tenantMigrations()).schemaVersion).toBe(entry.schemaVersion);
    expect((await tenantBackupModel.latestByTenant()).get(acme.id)?.latest).toMatchObject({ outcome: "ok", sha256: entry.sha256, setPath: report.setPath });

    // After the backup the live tenant moved on: all `written` prompts and one more.
    expect((await writerNumbers(acme)).length).toBe(written);
    const restored = await restoreTenant(operator, acme, report.setPath);
    expect(restored).toMatchObject({ slug: "acme", sha256: entry.sha256 });

    const numbers = await writerNumbers(acme);
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.length).toBeLessThan(written);
    expect(numbers).toEqual(prefix(numbers.length)); // w-1…w-k: one committed point
    expect(env.manager.quickCheck(acme.id)).toEqual({ ok: true, result: "ok" });
    // The other process's open handle sees the restored content at its next request…
    expect((await remoteList()).total).toBe(numbers.length);
    // …and the control plane's mirror agrees with the restored file.
    expect((await tenantUsageOf(acme.id))?.promptCount).toBe(numbers.length);
    // Maintenance was on for the restore and is off again; writes work in both processes.
    expect((await tenantModel.findById(acme.id))?.maintenanceSince).toBeNull();
    await tenantContext.runWithTenant(acme.id, () => promptModel.create({ name: "after-restore", template: "x", acceptsFiles: false, responseSchema: null }));
    expect((await remoteList()).names).toContain("after-restore");
    expect(env.manager.quickCheck(acme.id)).toEqual({ ok: true, result: "ok" });
  }, 60_000);
});

describe("a damaged backup", () => {
  test("a copy whose bytes changed is refused with a clear message and the live tenant is untouched", async () => {
    const report = await runBackup({ outDir, tenants: [acme] });
    const entry = report.manifest.files[0];
    if (!entry) throw new Error("no file in the set");
    const copy = join(report.setPath, entry.file);
    // Break the link to the previous set first (an unchanged file is linked, and that set must stay intact).
    const bytes = readFileSync(copy);
    rmSync(copy);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    writeFileSync(copy, bytes);
    const before = await promptNames(acme);
    const shaBefore = await fileSha256(env.manager.tenantDatabasePath(acme.id));
    await expect(restoreTenant(operator, acme, report.setPath)).rejects.toThrow(
      /is damaged: its SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}\. Nothing was restored\./,
    );
    expect(await promptNames(acme)).toEqual(before);
    expect(await fileSha256(env.manager.tenantDatabasePath(acme.id))).toBe(shaBefore);
    expect((await tenantModel.findById(acme.id))?.maintenanceSince).toBeNull();
  });

  test("a copy that fails integrity_check is refused even when the manifest agrees with it", async () => {
    const report = await runBackup({ outDir, tenants: [acme] });
    const manifestPath = join(report.setPath, "manifest.json");
    const entry = report.manifest.files[0];
    if (!entry) throw new Error("no file in the set");
    const copy = join(report.setPath, entry.file);
    const bytes = readFileSync(copy);
    rmSync(copy);
    bytes.fill(0x41, 4096, 8192); // page 2: garbage
    writeFileSync(copy, bytes);
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: { sha256: string }[] };
    const first = manifest.files[0];
    if (first) first.sha256 = await fileSha256(copy);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await expect(restoreTenant(operator, acme, report.setPath)).rejects.toThrow(/fails integrity_check .*Nothing was restored\./);
    expect(env.manager.quickCheck(acme.id)).toEqual({ ok: true, result: "ok" });
  });

  test("a set without the tenant, or not a set at all, is refused", async () => {
    const onlyGlobex = await runBackup({ outDir, tenants: [globex] });
    await expect(restoreTenant(operator, acme, onlyGlobex.setPath)).rejects.toThrow(/holds no copy of workspace "acme"/);
    await expect(restoreTenant(operator, acme, outDir)).rejects.toThrow(/is not a Sigil backup set: it has no manifest.json/);
  });
});

describe("incremental backups and retention", () => {
  test("an unchanged tenant file is linked from the previous set, a changed one is copied", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the stamps of the next set are read after a quiet period
    const first = await runBackup({ outDir, tenants: [acme, globex] });
    await tenantContext.runWithTenant(acme.id, () => promptModel.create({ name: "changed", template: "x", acceptsFiles: false, responseSchema: null }));
    const second = await runBackup({ outDir, tenants: [acme, globex] });
    const file = (set: typeof second, slug: string) =>
      second.manifest.files.find((entry) => entry.slug === slug) && set.manifest.files.find((entry) => entry.slug === slug);
    expect(file(second, "globex")?.reusedFrom).toBe(first.setPath);
    expect(file(second, "acme")?.reusedFrom).toBeNull();
    const globexFile = `tenant_${globex.id}.sqlite`;
    expect(statSync(join(second.setPath, globexFile)).ino).toBe(statSync(join(first.setPath, globexFile)).ino);
    expect(file(second, "acme")?.sha256).not.toBe(file(first, "acme")?.sha256);
  });

  test("retention keeps the newest sets and never the newest complete one", () => {
    const sets = listBackupSets(outDir);
    expect(sets.length).toBeGreaterThan(3);
    // Make every set but the oldest look failed: the oldest is then the newest complete one.
    const [oldest, ...others] = sets;
    if (!oldest) throw new Error("no set");
    for (const set of others) {
      const path = join(set, "manifest.json");
      const manifest = JSON.parse(readFileSync(path, "utf8")) as { failures: unknown[] };
      manifest.failures.push({ tenantId: null, slug: null, error: "simulated" });
      writeFileSync(path, JSON.stringify(manifest));
    }
    const removed = pruneBackupSets(outDir, 2);
    expect(removed).toEqual(sets.slice(1, -2));
    expect(listBackupSets(outDir)).toEqual([oldest, ...sets.slice(-2)]);
    expect(existsSync(oldest)).toBe(true);
    expect(readBackupSet(oldest).manifest.failures).toEqual([]);
  });
});
