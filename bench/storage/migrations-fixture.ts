import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The drizzle-kit 0.x journal entry fields we read and write (meta/_journal.json). */
interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}

interface Journal {
  entries: JournalEntry[];
}

function isJournal(value: unknown): value is Journal {
  if (typeof value !== "object" || value === null || !("entries" in value) || !Array.isArray(value.entries)) return false;
  return value.entries.every(
    (entry: unknown) =>
      typeof entry === "object" && entry !== null && "idx" in entry && typeof entry.idx === "number" && "when" in entry && typeof entry.when === "number",
  );
}

export const BENCH_MIGRATION_TAG = "0001_bench_alter";
export const BENCH_MIGRATION_SQL = "ALTER TABLE `prompts` ADD COLUMN `bench_note` text;\n";

/**
 * Copies the real tenant migrations folder and appends one cheap ALTER, so a manager pointed at the
 * copy sees every existing tenant file as one migration behind. The new entry's `when` must be
 * later than the last one: the schema version is the number of migrations at or before the
 * latest `created_at` a file recorded.
 */
export function createMigrationsFixture(sourceFolder: string, targetFolder: string): string {
  cpSync(sourceFolder, targetFolder, { recursive: true });
  const journalPath = join(targetFolder, "meta", "_journal.json");
  const journal: unknown = JSON.parse(readFileSync(journalPath, "utf8"));
  if (!isJournal(journal)) throw new Error(`Unexpected journal format in ${journalPath}`);
  const last = journal.entries.at(-1);
  if (!last) throw new Error(`The journal ${journalPath} lists no migrations`);
  journal.entries.push({ idx: last.idx + 1, version: last.version, when: last.when + 60_000, tag: BENCH_MIGRATION_TAG, breakpoints: true });
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  writeFileSync(join(targetFolder, `${BENCH_MIGRATION_TAG}.sql`), BENCH_MIGRATION_SQL);
  return targetFolder;
}
