/**
 * Fails when a Drizzle schema and its committed migrations disagree, for both engines (SQLite's
 * shared and tenant folders, PostgreSQL's migrations/pg/shared and migrations/pg/tenant):
 * drizzle-kit generates into a copy of each migrations folder, and any new migration it writes
 * means someone changed a schema without running `pnpm db:generate`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PG_TENANT_FOLDER, qualifiedFiles } from "./pg-tenant-sql.ts";

const root = resolve(import.meta.dirname, "..");
const drizzleKit = join(root, "node_modules", ".bin", "drizzle-kit");
const targets = [
  { name: "shared", config: "drizzle.shared.config.ts", folder: "migrations/shared" },
  { name: "tenant", config: "drizzle.tenant.config.ts", folder: "migrations/tenant" },
  { name: "pg-shared", config: "drizzle.pg-shared.config.ts", folder: "migrations/pg/shared" },
  { name: "pg-tenant", config: "drizzle.pg-tenant.config.ts", folder: PG_TENANT_FOLDER },
];

function journalTags(folder: string): string[] {
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map((entry) => entry.tag);
}

let failed = false;
for (const target of targets) {
  const committed = join(root, target.folder);
  const tags = journalTags(committed);
  const sqlFiles = readdirSync(committed)
    .filter((f) => f.endsWith(".sql"))
    .map((f) => f.replace(/\.sql$/, ""));
  const unlisted = sqlFiles.filter((f) => !tags.includes(f));
  const missing = tags.filter((t) => !existsSync(join(committed, `${t}.sql`)));
  if (unlisted.length > 0 || missing.length > 0) {
    failed = true;
    console.error(`✗ ${target.name}: journal and files disagree (unlisted: ${unlisted.join(", ") || "none"}; missing: ${missing.join(", ") || "none"})`);
    continue;
  }
  // drizzle-kit prefixes "./" to `out`, so the scratch copy must be relative to the package.
  mkdirSync(join(root, ".migcheck"), { recursive: true });
  const scratch = mkdtempSync(join(root, ".migcheck", `${target.name}-`));
  try {
    cpSync(committed, scratch, { recursive: true });
    const output = execFileSync(drizzleKit, ["generate", "--config", target.config, "--name", "drift"], {
      cwd: root,
      env: { ...process.env, DRIZZLE_OUT: `./${relative(root, scratch)}` },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    // drizzle-kit can exit 0 after an error: only its two success messages count.
    if (!/No schema changes|Your SQL migration file/.test(output)) {
      throw new Error(`drizzle-kit generate did not run cleanly for ${target.name}:\n${output}`);
    }
    const generated = journalTags(scratch).filter((tag) => !tags.includes(tag));
    if (generated.length > 0) {
      failed = true;
      console.error(`✗ ${target.name}: the schema has changes with no committed migration. Run \`pnpm db:generate\`. Pending SQL:`);
      for (const tag of generated) console.error(readFileSync(join(scratch, `${tag}.sql`), "utf8"));
    } else {
      console.log(`✓ ${target.name}: schema and ${tags.length} committed migration(s) agree`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
rmSync(join(root, ".migcheck"), { recursive: true, force: true });

const qualified = qualifiedFiles(join(root, PG_TENANT_FOLDER));
if (qualified.length > 0) {
  failed = true;
  console.error(
    `✗ pg-tenant: the public schema is named in ${qualified.join(", ")}; tenant SQL must run in any tenant's schema. Run \`pnpm --filter @sigil/db exec tsx scripts/unqualify-pg-tenant.ts\`.`,
  );
}
process.exit(failed ? 1 : 0);
