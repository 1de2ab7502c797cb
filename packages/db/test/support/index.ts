/**
 * What other packages' tests need to run on either engine (the `@sigil/db/test-support` export):
 * a fresh installation on the engine SIGIL_TEST_ENGINE names, and the engine itself. Their vitest
 * projects "postgres" start the run's PostgreSQL with postgres-global-setup.ts
 * (a globalSetup path in their vitest.config.ts).
 */
export { useTempDataDir, sqliteOnlyTest } from "../helpers.ts";
export { testEngine } from "./test-engine.ts";
export { createTestDatabase, type TestDatabase } from "./postgres-database.ts";
