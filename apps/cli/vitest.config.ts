import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The integration tests run the compiled CLI in child processes (the first run may build it).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "sqlite", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: ["test/pg/**"] } },
      {
        extends: true,
        test: {
          name: "postgres",
          include: ["test/pg/**/*.test.ts"],
          // One PostgreSQL for the run, started by @sigil/db's test support (README: Testing with PostgreSQL).
          globalSetup: ["../../packages/db/test/support/postgres-global-setup.ts"],
        },
      },
    ],
  },
});
