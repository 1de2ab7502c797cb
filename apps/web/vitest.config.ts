import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    // Unit tests of the web app's pure helpers only; the Playwright suite (e2e/, *.e2e.ts) runs apart.
    include: ["src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "e2e/**", "**/*.e2e.ts"],
  },
});
