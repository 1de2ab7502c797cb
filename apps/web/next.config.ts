import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const here = dirname(fileURLToPath(import.meta.url));
/** The monorepo root: workspace packages (@sigil/api, @sigil/db, …) export .ts source from there. */
const monorepoRoot = resolve(here, "../..");

const config: NextConfig = {
  // Native addons and the build tool the migration runner calls at run time stay plain Node
  // requires: bundling better-sqlite3 crashes (docs/architecture.md: Stack facts), esbuild ships a platform binary.
  serverExternalPackages: ["better-sqlite3", "esbuild"],
  // Turbopack compiles files outside apps/web only under its root; the workspace packages are
  // TypeScript source (no build step), so the root must be the monorepo's.
  turbopack: {
    root: monorepoRoot,
    rules: {
      // The workspace packages locate files next to their source (`new URL(…, import.meta.url)`):
      // keep that meaning in the bundle (see build/import-meta-url-loader.cjs).
      "*.ts": {
        condition: { all: [{ not: "foreign" }, { path: /(^|\/)packages\/[^/]+\/src\// }, { content: /import\.meta\.url/ }] },
        loaders: [resolve(here, "build/import-meta-url-loader.cjs")],
      },
    },
    // The file workers (migrations, health) write their bundle to a temp dir at run time, and
    // measure tenant files whose paths are known only then. That only affects output file tracing
    // (for `output: "standalone"`, not used: the app is served in place).
    ignoreIssue: [{ path: /packages\/db\/src\/(file-workers\/worker-script|quick-check)\.ts$/, title: /Dynamic filesystem access/ }],
  },
  outputFileTracingRoot: monorepoRoot,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
