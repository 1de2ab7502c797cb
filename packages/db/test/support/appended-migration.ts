import { createHash } from "node:crypto";
import type { MigrationFile } from "../../src/migrations/migration-files.ts";

/**
 * `base` followed by one more migration, `tag`, made of `statements`, dated a minute after the
 * last one (the version counts migrations up to the latest date applied). Tests inject failing or
 * slow migrations with it; the benchmarks add the one pending migration they time.
 */
export function appendMigration(base: readonly MigrationFile[], tag: string, statements: string[]): MigrationFile[] {
  const last = base.at(-1);
  if (!last) throw new Error("The base migrations are empty.");
  const hash = createHash("sha256").update(statements.join("\n")).digest("hex");
  return [...base, { tag, folderMillis: last.folderMillis + 60_000, hash, statements }];
}
