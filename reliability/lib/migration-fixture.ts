/**
 * A real new tenant migration for the "migration under load" scenario: a copy of
 * packages/db/migrations/tenant plus one drizzle-kit style migration that adds a column to
 * `prompts`, backfills it for every row, and records in a new one-row table how many rows it
 * backfilled. Run as one transaction (packages/db/src/migrations/apply-migrations.ts), the count
 * equals the rows that got the column filled; a migration that a concurrent insert could split
 * would count a prompt it did not backfill, or the reverse (checked by backfillConsistent).
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./installation.ts";

export const FIXTURE_TAG_SUFFIX = "reliability_backfill";
const TENANT_MIGRATIONS = join(ROOT, "packages", "db", "migrations", "tenant");

const STATEMENTS = [
  "ALTER TABLE `prompts` ADD `reliability_digest` text;",
  "UPDATE `prompts` SET `reliability_digest` = `id` || ':' || `current_version` || ':' || length(`template`);",
  "CREATE TABLE `reliability_backfill` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1), `prompts` integer NOT NULL, `migrated_at` integer NOT NULL);",
  "INSERT INTO `reliability_backfill` (`id`, `prompts`, `migrated_at`) SELECT 1, count(*), CAST(unixepoch('subsec') * 1000 AS integer) FROM `prompts` WHERE `reliability_digest` IS NOT NULL;",
];

interface Journal {
  entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
}

/** Writes the folder; returns its path and the number of migrations in it (the new schema version). */
export function writeMigrationFixture(folder: string): { folder: string; latestVersion: number } {
  cpSync(TENANT_MIGRATIONS, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  const last = journal.entries.at(-1);
  if (!last) throw new Error(`${journalPath} lists no migrations.`);
  const idx = last.idx + 1;
  const tag = `${String(idx).padStart(4, "0")}_${FIXTURE_TAG_SUFFIX}`;
  // Later than every real migration: the schema version is counted up to the last `when` applied.
  journal.entries.push({ idx, version: last.version, when: last.when + 60_000, tag, breakpoints: true });
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  writeFileSync(join(folder, `${tag}.sql`), STATEMENTS.join("\n--> statement-breakpoint\n") + "\n");
  return { folder, latestVersion: journal.entries.length };
}

/** The backfill's own count equals the rows it filled (no delete runs during the scenario). */
export function backfillConsistent(prompts: readonly Record<string, unknown>[], backfill: readonly Record<string, unknown>[]): string | undefined {
  const row = backfill[0];
  if (backfill.length !== 1 || !row) return `reliability_backfill has ${backfill.length} rows, expected 1`;
  const digested = prompts.filter((p) => p.reliability_digest !== null && p.reliability_digest !== undefined).length;
  return Number(row.prompts) === digested ? undefined : `the migration counted ${String(row.prompts)} backfilled prompts but ${digested} carry the column`;
}
