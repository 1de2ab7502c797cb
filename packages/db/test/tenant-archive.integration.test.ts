import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { create as createTar, extract as extractTar } from "tar";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { exportTenantArchive } from "../src/archive/export-tenant.ts";
import { MANIFEST_ENTRY, SHARED_ROWS_ENTRY, TENANT_FILE_ENTRY, type ArchiveManifest } from "../src/archive/format.ts";
import { importTenantArchive, NOT_SHARED_ID_REFERENCES, SHARED_ID_REFERENCES } from "../src/archive/import-tenant.ts";
import { fileSha256 } from "../src/backup/sqlite-copy.ts";
import { hashPassword } from "../src/credentials.ts";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { loadMigrations, TENANT_MIGRATIONS_FOLDER } from "../src/migrations/migration-files.ts";
import { tenantModel, type TenantRow } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { tenantInput } from "./helpers.ts";

/** This code's tenant schema version: its number of tenant migrations. */
const LATEST_TENANT_SCHEMA = loadMigrations(TENANT_MIGRATIONS_FOLDER).length;

/**
 * Hostile and failing imports (README: Operating it, moving a workspace): each is refused with a
 * sentence saying why, before anything is written, and leaves the destination exactly as it was.
 */

let root: string;
let source: string;
let destination: string;
let archive: string;
let acme: TenantRow;

async function use(dataDir: string, options: { tenantMigrationsFolder?: string } = {}): Promise<HybridDatabaseManager> {
  const manager = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 4, ...options });
  await manager.runSharedMigrations();
  return manager;
}

async function seedAndExport(dataDir: string, slug: string, file: string, options: { tenantMigrationsFolder?: string } = {}): Promise<TenantRow> {
  const manager = await use(dataDir, options);
  const tenant = await tenantModel.createTenant(tenantInput(slug));
  const passwordHash = await hashPassword("owner-password-1");
  await tenantContext.runWithTenant(tenant.id, () =>
    userModel.create({ email: `owner@${slug}.test`, name: "Owner", role: "admin", status: "active", passwordHash }),
  );
  await exportTenantArchive(manager, tenant.id, file, { includeSecrets: false, sigil: { version: null, commit: null } });
  return tenant;
}

/** The archive's entries in a folder, changed by `change`, packed again as a new archive. */
async function repacked(
  name: string,
  change: (folder: string) => void | Promise<void>,
  entries = [MANIFEST_ENTRY, "registry.json", SHARED_ROWS_ENTRY, TENANT_FILE_ENTRY],
): Promise<string> {
  const folder = mkdtempSync(join(root, "repack-"));
  await extractTar({ file: archive, cwd: folder });
  await change(folder);
  const file = join(root, `${name}.sigil-tenant.tar.gz`);
  await createTar({ gzip: true, file, cwd: folder, portable: true, preservePaths: true }, entries);
  return file;
}

function editManifest(folder: string, edit: (manifest: ArchiveManifest) => void): void {
  const manifest = JSON.parse(readFileSync(join(folder, MANIFEST_ENTRY), "utf8")) as ArchiveManifest;
  edit(manifest);
  writeFileSync(join(folder, MANIFEST_ENTRY), JSON.stringify(manifest));
}

/** What an import must not change: the registry, the shared rows, the files of the data directory. */
function destinationState() {
  const shared = HybridDatabaseManager.getInstance().getSharedDatabase().$client;
  const count = (table: string) => (shared.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  return {
    tables: Object.fromEntries(["tenants", "users", "api_keys", "settings", "tenant_usage", "tenant_work"].map((table) => [table, count(table)])),
    files: readdirSync(destination)
      .filter((name) => !name.startsWith("shared.sqlite"))
      .sort(),
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sigil-archive-hostile-"));
  source = join(root, "source");
  destination = join(root, "destination");
  mkdirSync(source);
  mkdirSync(destination);
  archive = join(root, "acme.sigil-tenant.tar.gz");
  acme = await seedAndExport(source, "acme", archive);
});

afterAll(() => {
  HybridDatabaseManager.closeInstance();
  rmSync(root, { recursive: true, force: true });
});

describe("refused archives leave the destination as it was", () => {
  let before: ReturnType<typeof destinationState>;

  beforeEach(async () => {
    await use(destination);
    if (!(await tenantModel.findBySlug("globex"))) await tenantModel.createTenant(tenantInput("globex"));
    before = destinationState();
  });

  const refuses = async (file: string, message: RegExp, options: { slug?: string } = {}) => {
    await expect(importTenantArchive(HybridDatabaseManager.getInstance(), file, options)).rejects.toThrow(message);
    expect(destinationState()).toEqual(before);
  };

  test("a changed entry: checksum mismatch", async () => {
    const file = await repacked("tampered", (folder) => {
      const rows = readFileSync(join(folder, SHARED_ROWS_ENTRY), "utf8");
      writeFileSync(join(folder, SHARED_ROWS_ENTRY), rows.replace('"role":"admin"', '"role":"user" '));
    });
    await refuses(file, /Checksum mismatch for shared-rows\.json.*altered or damaged/);
  });

  test("a truncated archive", async () => {
    const file = join(root, "truncated.sigil-tenant.tar.gz");
    copyFileSync(archive, file);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    await refuses(file, /not a readable tenant archive \(truncated or damaged\)/);
  });

  test("a file that is no archive at all", async () => {
    const file = join(root, "garbage.sigil-tenant.tar.gz");
    writeFileSync(file, "this is not a tar file");
    await refuses(file, /not a readable tenant archive|holds no entries/);
  });

  test("a newer tenant schema, named by the manifest (checksums intact)", async () => {
    const file = await repacked("newer-manifest", (folder) => editManifest(folder, (manifest) => (manifest.schema.tenant = 99)));
    await refuses(file, new RegExp(`tenant file are at schema version 99; this Sigil knows ${LATEST_TENANT_SCHEMA}\\. Upgrade this installation`));
  });

  test("a newer tenant schema in the file itself, whatever the manifest says", async () => {
    const file = await repacked("newer-file", async (folder) => {
      const tenantFile = join(folder, TENANT_FILE_ENTRY);
      const connection = new Database(tenantFile);
      connection.prepare('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)').run("future", Date.now() + 86_400_000);
      connection.close();
      const sha256 = await fileSha256(tenantFile);
      editManifest(folder, (manifest) => (manifest.entries[TENANT_FILE_ENTRY] = { bytes: statSync(tenantFile).size, sha256 }));
    });
    await refuses(file, /1 migration\(s\) newer than this Sigil knows/);
  });

  test("a newer shared schema", async () => {
    const file = await repacked("newer-shared", (folder) => editManifest(folder, (manifest) => (manifest.schema.shared = 42)));
    await refuses(file, /shared\.sqlite rows are at schema version 42/);
  });

  test("an unknown format version", async () => {
    const file = await repacked("format-2", (folder) => editManifest(folder, (manifest) => Object.assign(manifest, { formatVersion: 2 })));
    await refuses(file, /format version 2; this Sigil reads version 1 only/);
  });

  test("an entry whose name climbs out of the folder: refused, nothing written outside", async () => {
    const outside = join(root, "evil.txt");
    const file = await repacked(
      "traversal",
      (folder) => {
        mkdirSync(join(folder, "sub"));
        writeFileSync(join(folder, "..", "evil.txt"), "owned");
      },
      [MANIFEST_ENTRY, "../evil.txt", "registry.json", SHARED_ROWS_ENTRY, TENANT_FILE_ENTRY],
    );
    rmSync(outside, { force: true });
    await refuses(file, /entry Sigil does not write \("\.\.\/evil\.txt"/);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(destination, "evil.txt"))).toBe(false);
  });

  test("a slug in use", async () => {
    await refuses(archive, /slug "globex" is already used by a workspace of this installation/, { slug: "globex" });
  });

  test("a failure while registering (injected: the shared.sqlite insert of users fails) leaves no row and no file", async () => {
    const shared = HybridDatabaseManager.getInstance().getSharedDatabase().$client;
    shared.exec("CREATE TRIGGER inject_failure BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    try {
      await refuses(archive, /injected failure/, { slug: "acme-failing" });
    } finally {
      shared.exec("DROP TRIGGER inject_failure");
    }
  });
});

describe("an archive of an older tenant schema", () => {
  test("is migrated to this code's schema on import", async () => {
    const older = join(root, "migrations-v2");
    cpSync(TENANT_MIGRATIONS_FOLDER, older, { recursive: true });
    const journal = JSON.parse(readFileSync(join(older, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    writeFileSync(join(older, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 2) }));
    const oldSource = join(root, "old-source");
    mkdirSync(oldSource);
    const file = join(root, "initech.sigil-tenant.tar.gz");
    await seedAndExport(oldSource, "initech", file, { tenantMigrationsFolder: older });
    const manager = await use(destination);
    const imported = await importTenantArchive(manager, file);
    expect(imported.tenantSchema).toEqual({ archived: 2, now: LATEST_TENANT_SCHEMA });
    expect(manager.withTenantDatabase(imported.tenant.id, (db) => db.$client.prepare("SELECT COUNT(*) AS n FROM tenant_stats").get())).toEqual({ n: 1 });
    const owner = await tenantContext.runWithTenant(imported.tenant.id, () => userModel.findByEmail("owner@initech.test"));
    expect(owner?.status).toBe("active");
  });
});

describe("an import killed mid-way", () => {
  test("leaves a work folder that the next import removes, while a live import's folder is left alone", async () => {
    const manager = await use(destination);
    const abandoned = join(destination, ".import-2147483646-AbCdEf");
    const live = join(destination, `.import-${process.pid}-LiVe12`);
    for (const folder of [abandoned, live]) {
      mkdirSync(folder);
      writeFileSync(join(folder, TENANT_FILE_ENTRY), "half");
    }
    await importTenantArchive(manager, archive, { slug: "acme-after-kill" });
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true });
  });
});

describe("the reference columns the import rewrites", () => {
  test("cover every column of the tenant schema named like a reference to a shared row", async () => {
    const manager = await use(source);
    const columns = manager.withTenantDatabase(acme.id, (db) => {
      const tables = db.$client
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
        .all() as { name: string }[];
      return tables.flatMap(({ name }) =>
        (db.$client.prepare("SELECT name FROM pragma_table_info(?)").all(name) as { name: string }[]).map((column) => [name, column.name] as const),
      );
    });
    const referenceLike = columns.filter(([, column]) => /_by$|^actor_id$|^target_id$|^user_id$|^api_key_id$/.test(column));
    const decided = [...SHARED_ID_REFERENCES, ...NOT_SHARED_ID_REFERENCES].map(([table, column]) => `${table}.${column}`);
    expect(referenceLike.map(([table, column]) => `${table}.${column}`).sort()).toEqual(decided.sort());
  });
});
