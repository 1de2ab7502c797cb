/**
 * The PostgreSQL tenant migrations run inside each tenant's schema through `SET LOCAL
 * search_path`, so their SQL must name no schema. drizzle-kit still writes `"public".` before the
 * table a foreign key references; `pnpm db:generate` removes it (scripts/unqualify-pg-tenant.ts)
 * and `pnpm db:check` fails on any that remains.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const PG_TENANT_FOLDER = "migrations/pg/tenant";

export function unqualify(sql: string): string {
  return sql.replaceAll('"public".', "");
}

/** The folder's .sql files whose text names the public schema. */
export function qualifiedFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith(".sql"))
    .filter((file) => readFileSync(join(folder, file), "utf8").includes('"public".'));
}
