import type { PgFootprint } from "@sigil/db/bench";
import type { BenchRow } from "../lib/types.ts";

const KIB = 1024;

/**
 * What one empty tenant schema adds to a PostgreSQL database (docs/scaling.md, Limits): the
 * difference between the database's footprint before and after provisioning `schemas` schemas,
 * divided by their number.
 */
export function schemaFootprintRows(before: PgFootprint, after: PgFootprint, schemas: number): BenchRow[] {
  if (!Number.isInteger(schemas) || schemas <= 0) throw new Error(`schemaFootprintRows needs a positive count of schemas (got ${schemas})`);
  const label = `one empty tenant schema (${schemas.toLocaleString("en-US")} provisioned)`;
  return [
    {
      benchmark: `${label}: relations`,
      value: (after.relations - before.relations) / schemas,
      unit: "relations",
      note: "pg_class rows, pg_database_size and the total size of pg_catalog's tables taken before and after provisioning the schemas of the migration benchmark, the difference divided by their number",
    },
    { benchmark: `${label}: database size`, value: (after.databaseBytes - before.databaseBytes) / schemas / KIB, unit: "KiB" },
    { benchmark: `${label}: of it in the system catalogs`, value: (after.catalogBytes - before.catalogBytes) / schemas / KIB, unit: "KiB" },
  ];
}
