import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MigrationFailedError } from "../errors.ts";

/** One drizzle-kit migration (0.x layout: `NNNN_tag.sql` listed in `meta/_journal.json`). */
export interface MigrationFile {
  tag: string;
  /** drizzle-kit's `when`, also the `created_at` recorded in `__drizzle_migrations`. */
  folderMillis: number;
  hash: string;
  statements: string[];
}

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

export const SHARED_MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations/shared", import.meta.url));
export const TENANT_MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations/tenant", import.meta.url));

const cache = new Map<string, MigrationFile[]>();

/** Reads a migrations folder the way drizzle's migrator does (same hash, same breakpoints). */
export function loadMigrations(folder: string): MigrationFile[] {
  const cached = cache.get(folder);
  if (cached) return cached;
  const journalPath = join(folder, "meta", "_journal.json");
  if (!existsSync(journalPath)) throw new MigrationFailedError(`No migrations journal at ${journalPath}.`);
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  const migrations = journal.entries.map((entry) => {
    const source = readFileSync(join(folder, `${entry.tag}.sql`), "utf8");
    return {
      tag: entry.tag,
      folderMillis: entry.when,
      hash: createHash("sha256").update(source).digest("hex"),
      statements: source
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    };
  });
  cache.set(folder, migrations);
  return migrations;
}
