/**
 * `pnpm --filter @sigil/api build`: the API as JavaScript in dist/, so `pnpm start` runs plain
 * node instead of tsx's loader (README: Memory and CPU at rest): dist/worker.mjs (the execution
 * worker), and index.mjs, http.mjs, edge.mjs, which the web server loads through the package's
 * `sigil-dist` export condition (tooling/bundle: how).
 */
import { join } from "node:path";
import { bundle } from "@sigil/bundle";

await bundle({
  packageDir: join(import.meta.dirname, ".."),
  entries: {
    worker: "scripts/worker.ts",
    index: "src/index.ts",
    http: "src/http/index.ts",
    edge: "src/http/edge.ts",
  },
});
