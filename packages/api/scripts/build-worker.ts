/**
 * `pnpm --filter @sigil/api build`: the API as JavaScript in dist/, so `pnpm start` runs plain
 * node instead of tsx's loader (README: Memory and CPU at rest): dist/worker.mjs (the execution
 * worker), and index.mjs, http.mjs, edge.mjs, which the web server loads through the package's
 * `sigil-dist` export condition. Native and build-time packages stay external (better-sqlite3,
 * esbuild); every workspace package is bundled.
 *
 * The workspace packages locate files next to their source (`new URL("../../migrations/tenant",
 * import.meta.url)`, `import.meta.dirname`): in the bundle those keep meaning "relative to the
 * source file", so the bundle refers to the checkout it was built in, which `pnpm start` serves
 * in place.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

const packageDir = join(import.meta.dirname, "..");
const outdir = join(packageDir, "dist");
/**
 * Each entry is one file of dist/ (`<name>.mjs`); what they share is split into chunks, so a
 * process that loads several of them (the web server: http, edge, and Next's import of the
 * package) holds one instance of every module: one database manager, one set of caches.
 */
const entries: Record<string, string> = {
  worker: "scripts/worker.ts",
  index: "src/index.ts",
  http: "src/http/index.ts",
  edge: "src/http/edge.ts",
};

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
  entryPoints: Object.entries(entries).map(([out, source]) => ({ out, in: join(packageDir, source) })),
  outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies bundled into an ES module still call require().
  banner: { js: 'import { createRequire as __sigilCreateRequire } from "node:module"; const require = __sigilCreateRequire(import.meta.url);' },
  plugins: [nativeExternals, sourceLocation],
  logLevel: "warning",
});
console.log(
  `Built ${Object.keys(entries)
    .map((name) => `dist/${name}.mjs`)
    .join(", ")} in ${Math.round(performance.now() - started)} ms.`,
);
