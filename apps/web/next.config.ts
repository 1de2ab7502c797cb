import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const here = dirname(fileURLToPath(import.meta.url));
/** The monorepo root: workspace packages (@sigil/validators) export .ts source from there. */
const monorepoRoot = resolve(here, "../..");

// The app bundles no database code: the API, with its SQLite driver, is provided at run time by
// server.ts (src/lib/server/host-api.ts). Only @sigil/validators' source is compiled in.
const config: NextConfig = {
  // Turbopack compiles files outside apps/web only under its root; the workspace packages are
  // TypeScript source (no build step), so the root must be the monorepo's.
  turbopack: { root: monorepoRoot },
  outputFileTracingRoot: monorepoRoot,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
