/**
 * The one way a workspace program becomes JavaScript for plain node (README: Memory and CPU at
 * rest): the API's processes (packages/api/scripts/build.ts) and the `sigil` CLI
 * (apps/cli/scripts/build.ts). Native and build-time packages stay external (better-sqlite3,
 * esbuild); every workspace package is bundled.
 *
 * The workspace packages locate files next to their source (`new URL("../../migrations/tenant",
 * import.meta.url)`, `import.meta.dirname`): in the bundle those keep meaning "relative to the
 * source file", so a bundle refers to the checkout it was built in, which is where it runs.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";

const repositoryRoot = join(import.meta.dirname, "..", "..");

// Resolved where @sigil/db (their dependent) finds them: pnpm keeps them out of the other
// packages' node_modules, and the bundle imports them by absolute path.
const fromDb = createRequire(join(repositoryRoot, "packages", "db", "package.json"));
const nativeExternals: Plugin = {
  name: "native-externals",
  setup(build) {
    build.onResolve({ filter: /^(better-sqlite3|esbuild)$/ }, (args) => ({ path: fromDb.resolve(args.path), external: true }));
  },
};

const sourceLocation: Plugin = {
  name: "source-location",
  setup(build) {
    build.onLoad({ filter: /\/(packages|apps)\/[^/]+\/(src|scripts)\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source
        .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
      return { contents, loader: "ts" };
    });
  },
};

export interface BundleOptions {
  /** The package being built: entries are relative to it, output goes to its dist/. */
  packageDir: string;
  /** `<name>.mjs` in dist/ ← a source file. What several entries share is split into chunks. */
  entries: Record<string, string>;
}

/**
 * Bundles `entries` into `<packageDir>/dist`. Entries that one process loads together share
 * chunks, so it holds one instance of every module: one database manager, one set of caches.
 * Returns esbuild's metafile (which source files went in).
 */
export async function bundle({ packageDir, entries }: BundleOptions): Promise<Metafile> {
  const started = performance.now();
  const result = await build({
    entryPoints: Object.entries(entries).map(([out, source]) => ({ out, in: join(packageDir, source) })),
    outdir: join(packageDir, "dist"),
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
    metafile: true,
    logLevel: "warning",
  });
  const built = Object.keys(entries)
    .map((name) => `dist/${name}.mjs`)
    .join(", ");
  console.log(`Built ${built} (${relative(repositoryRoot, packageDir)}) in ${Math.round(performance.now() - started)} ms.`);
  return result.metafile;
}
