/**
 * Helpers shared by the *.integration.test.ts files: directory listings, open file descriptors,
 * raw row counts on shared.sqlite, migration-folder fixtures. Nothing of @sigil/db is mocked.
 */
import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HybridDatabaseManager } from "../src/hybrid-manager.ts";

/** The only files a data directory may hold when no tenant was provisioned. */
export const SHARED_FILES: ReadonlySet<string> = new Set(["shared.sqlite", "shared.sqlite-wal", "shared.sqlite-shm"]);

/** tenant_<uuid>.sqlite and the files SQLite keeps beside it. */
const TENANT_FILE = /^tenant_([0-9a-f-]{36})\.sqlite(?:-wal|-shm|-journal)?$/;

export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Every entry of the data directory that is not shared.sqlite (or its -wal/-shm). */
export function nonSharedEntries(dataDir: string): string[] {
  return listDir(dataDir).filter((name) => !SHARED_FILES.has(name));
}

/** The files of one tenant (main file, -wal, -shm, -journal) present in the data directory. */
export function filesOfTenant(dataDir: string, tenantId: string): string[] {
  return listDir(dataDir).filter((name) => name.startsWith(`tenant_${tenantId}.sqlite`));
}

export interface OpenTenantFile {
  fd: string;
  target: string;
  tenantId: string;
  deleted: boolean;
}

/**
 * The descriptors of this process that point at tenant files (Linux: /proc/self/fd). An unlinked
 * file still open shows as "<path> (deleted)".
 */
export function openTenantFiles(dataDir?: string): OpenTenantFile[] {
  const open: OpenTenantFile[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the descriptor of the readdir itself is gone by now
    }
    if (dataDir !== undefined && !target.startsWith(`${dataDir}/`)) continue;
    const deleted = target.endsWith(" (deleted)");
    const path = deleted ? target.slice(0, -" (deleted)".length) : target;
    const base = path.slice(path.lastIndexOf("/") + 1);
    const match = TENANT_FILE.exec(base);
    if (match?.[1] === undefined) continue;
    open.push({ fd, target, tenantId: match[1], deleted });
  }
  return open;
}

/** How many distinct tenant databases this process has descriptors on. */
export function openTenantDatabases(dataDir?: string): Set<string> {
  return new Set(openTenantFiles(dataDir).map((file) => file.tenantId));
}

/** Every descriptor of this process (any kind). */
export function countOpenDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

export const SHARED_TENANT_TABLES = ["users", "sessions", "api_keys", "settings"] as const;
export type SharedTenantTable = (typeof SHARED_TENANT_TABLES)[number];

/** Raw `SELECT count(*)` on shared.sqlite, bypassing the model layer and its tenant scope. */
export function rawSharedCount(manager: HybridDatabaseManager, table: SharedTenantTable, tenantId: string): number {
  const row = manager.getSharedDatabase().$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`).get(tenantId) as { n: number } | undefined;
  return row?.n ?? 0;
}

export function rawRegistryCount(manager: HybridDatabaseManager, where: { id?: string; slug?: string } = {}): number {
  const client = manager.getSharedDatabase().$client;
  if (where.id !== undefined) {
    return (client.prepare("SELECT count(*) AS n FROM tenants WHERE id = ?").get(where.id) as { n: number }).n;
  }
  if (where.slug !== undefined) {
    return (client.prepare("SELECT count(*) AS n FROM tenants WHERE slug = ?").get(where.slug) as { n: number }).n;
  }
  return (client.prepare("SELECT count(*) AS n FROM tenants").get() as { n: number }).n;
}

/**
 * Writes a drizzle-kit style migrations folder (meta/_journal.json + NNNN_tag.sql) so a manager
 * can be configured with migrations that are known to fail.
 */
export function writeMigrationsFolder(dir: string, migrations: readonly { tag: string; sql: string }[]): string {
  mkdirSync(join(dir, "meta"), { recursive: true });
  const base = 1_700_000_000_000;
  const entries = migrations.map((migration, idx) => ({
    idx,
    version: "6",
    when: base + idx * 1000,
    tag: migration.tag,
    breakpoints: true,
  }));
  writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "sqlite", entries }, null, 2));
  for (const migration of migrations) writeFileSync(join(dir, `${migration.tag}.sql`), migration.sql);
  return dir;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise with its resolve function, without non-null assertions. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolveFn: ((value: T) => void) | undefined;
  const promise = new Promise<T>((resolve) => {
    resolveFn = resolve;
  });
  return {
    promise,
    resolve: (value: T) => {
      if (resolveFn === undefined) throw new Error("deferred: executor did not run");
      resolveFn(value);
    },
  };
}

/** Awaits a promise that must reject, and returns its reason for further assertions. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}

/** Calls a function that must throw synchronously, and returns what it threw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}
