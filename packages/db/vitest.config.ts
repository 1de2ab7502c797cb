import { defineConfig } from "vitest/config";

/**
 * The storage suites that hold on both engines (README: Testing with PostgreSQL). The project
 * "postgres" runs them again with SIGIL_TEST_ENGINE=postgres: each file gets a database of its own
 * on the run's PostgreSQL (test/helpers.ts useTempDataDir). Tests of SQLite itself inside them are
 * `sqliteOnlyTest`; suites about SQLite files only (crash, lru, quick-check, sqlite-copy…) are not listed.
 */
export const BOTH_ENGINES = [
  "test/isolation.integration.test.ts",
  "test/fail-closed.integration.test.ts",
  "test/sessions.integration.test.ts",
  "test/last-active-admin.integration.test.ts",
  "test/usage-counters.integration.test.ts",
  "test/tenant-usage-mirror.integration.test.ts",
  "test/webhook-deliveries.integration.test.ts",
  "test/pagination.integration.test.ts",
  "test/demo.integration.test.ts",
];

export default defineConfig({
  test: {
    // Integration tests open real SQLite files and spawn child processes and worker threads.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "sqlite", include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"], exclude: ["test/pg/**"] },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["test/pg/**/*.test.ts", ...BOTH_ENGINES],
          env: { SIGIL_TEST_ENGINE: "postgres" },
          // One PostgreSQL for the run (README: Testing with PostgreSQL).
          globalSetup: ["test/support/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
