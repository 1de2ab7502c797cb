/** `pnpm db:generate`'s last step: strips drizzle-kit's `"public".` from the PostgreSQL tenant migrations (scripts/pg-tenant-sql.ts says why). */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PG_TENANT_FOLDER, qualifiedFiles, unqualify } from "./pg-tenant-sql.ts";

const folder = resolve(import.meta.dirname, "..", PG_TENANT_FOLDER);
for (const file of qualifiedFiles(folder)) {
  const path = join(folder, file);
  writeFileSync(path, unqualify(readFileSync(path, "utf8")));
  console.log(`${PG_TENANT_FOLDER}/${file}: schema qualifiers removed`);
}
