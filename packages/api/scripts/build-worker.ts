/**
 * `pnpm --filter @sigil/api build`: the execution worker as one JavaScript file,
 * dist/worker.mjs, so `pnpm start` runs it with plain node instead of through tsx's loader
 * (RSS: README, The execution worker). Native and build-time packages stay external
 * (better-sqlite3, esbuild); every workspace package is bundled.
 *
 * The workspace packages locate files next to their source (`new URL("../../migrations/tenant",
 * import.meta.url)`, `import.meta.dirname`): in the bundle those keep meaning "relative to the
 * source file", as apps/web/build/import-meta-url-loader.cjs does for Next's build, so the bundle
 * refers to the checkout it was built in, which `pnpm start` serves in place.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const packageDir = join(import.meta.dirname, "..");
const outfile = join(packageDir, "dist", "worker.mjs");

// Resolved where @sigil/db (their dependent) finds them: pnpm keeps them out of this package's
// node_modules, and the bundle imports them by absolute path.
const fromDb = createRequire(join(packageDir, "..", "db", "package.json"));
const nativeExternals: Plugin = {
  name: "native-externals",
  setup(build) {
    build.onResolve({ filter: /^(better-sqlite3|esbuild)$/ }, (args) => ({ path: fromDb.resolve(args.path), external: true }));
  },
};

const sourceLocation: Plugin = {
  name: "source-location",
  setup(build) {
    build.onLoad({ filter: /\/packages\/[^/]+\/(src|scripts)\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents, loader: "ts" };
    });
  },
};

const started = performance.now();
await build({
  entryPoints: [join(packageDir, "scripts", "worker.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies bundled into an ES module still call require().
  banner: { js: 'import { createRequire as __sigilCreateRequire } from "node:module"; const require = __sigilCreateRequire(import.meta.url);' },
  plugins: [nativeExternals, sourceLocation],
  logLevel: "warning",
});
console.log(`Built ${outfile} in ${Math.round(performance.now() - started)} ms.`);
