// Measuring aids for the root bench/ suites that need SQLite without Sigil in the way (the raw
// baselines). Imported as "@sigil/db/bench"; nothing in the application uses them.
export { openRaw, rawMigrateFile, rawMigrateOnWorkers, rawMigrateSequential, type RawPragmas } from "./raw-migration.ts";
export { createIsolatedPromptsFile, createSharedPromptsFile, LIST_QUERY_SQL, listQueryPlan, listQuerySampler, type ListQuerySampler } from "./list-query.ts";
export { sqliteOpenCount } from "../src/sqlite-file.ts";
export { cloneTenant, type CloneOptions } from "./clone-tenants.ts";
export { startPgSchemaBench, type PgFootprint, type PgSchemaBench } from "./pg-schemas.ts";
export { DEFAULT_PG_MIGRATION_CONCURRENCY } from "../src/pg/migrate-tenant-schemas.ts";
export { POSTGRES_BIN_DIR, startPostgresServer, PostgresBinariesMissingError, type PostgresServer } from "../test/support/postgres-server.ts";
export {
  prepareRowSecurityBench,
  ROW_SECURITY_OPERATIONS,
  type RowSecurityBench,
  type RowSecurityOperation,
  type RowSecuritySize,
  type RowSecurityVariant,
} from "./row-security-cost.ts";
