import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The integration test starts the real API server on a real SQLite data directory.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
