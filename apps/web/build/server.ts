/**
 * `pnpm --filter @sigil/web build` (after `next build`): server.ts as JavaScript, dist/server.mjs,
 * so `pnpm start` runs the web server with plain node instead of through tsx's loader. Only the
 * app's own files are bundled; packages stay imports (`next` from node_modules, `@sigil/api` from
 * its compiled bundle under the `sigil-dist` condition, packages/api/dist). The directory Next
 * serves is this one, written in as server.ts's `import.meta.dirname` (the build serves in place).
 */
import { dirname, join } from "node:path";
import { build } from "esbuild";

const webDir = dirname(import.meta.dirname);
const outfile = join(webDir, "dist", "server.mjs");
const started = performance.now();
await build({
  entryPoints: [join(webDir, "server.ts")],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  define: { "import.meta.dirname": JSON.stringify(webDir) },
  logLevel: "warning",
});
console.log(`Built ${outfile} in ${Math.round(performance.now() - started)} ms.`);
