import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"],
    // One PostgreSQL for the run, for the suites under test/pg (README: Testing with PostgreSQL).
    globalSetup: ["test/support/postgres-global-setup.ts"],
    // Integration tests open real SQLite files and spawn child processes and worker threads.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
