import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI_DIR } from "./run-sigil.ts";

const TENANT_MIGRATIONS = join(CLI_DIR, "..", "..", "packages", "db", "migrations", "tenant");

/**
 * Copies the tenant migrations into `folder` plus one more, so that an installation's tenants are
 * one migration behind when the CLI runs with SIGIL_TENANT_MIGRATIONS_DIR=folder.
 */
export function withOneMoreMigration(folder: string): void {
  cpSync(TENANT_MIGRATIONS, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; when: number; tag: string }[] };
  const last = journal.entries.at(-1);
  if (!last) throw new Error("the tenant migrations have no journal entries");
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1_000, tag: "9999_cli_probe" });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(join(folder, "9999_cli_probe.sql"), "CREATE TABLE `cli_probe` (`id` text PRIMARY KEY NOT NULL);\n");
}
