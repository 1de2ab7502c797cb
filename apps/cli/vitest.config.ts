import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The integration tests run the compiled CLI in child processes (the first run may build it).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
