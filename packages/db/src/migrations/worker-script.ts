import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const WORKER_SOURCE = fileURLToPath(new URL("./migration-worker.ts", import.meta.url));
let script: string | undefined;

/**
 * The migration worker as one plain-JS file, bundled from migration-worker.ts on first use.
 * A worker that loaded our TypeScript through tsx spent ~250 ms starting (tsx's loader and its
 * own esbuild service per thread); a bundle starts in a few ms. better-sqlite3 (a native addon)
 * stays external, imported by absolute URL so the bundle can live in the temp directory.
 */
export async function migrationWorkerScript(): Promise<string> {
  if (script !== undefined && existsSync(script)) return script;
  const driver = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
  const result = await build({
    entryPoints: [WORKER_SOURCE],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "external-driver",
        setup(build) {
          build.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: driver, external: true }));
        },
      },
    ],
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error("Bundling the migration worker produced no output.");
  const directory = join(tmpdir(), "sigil-migration-worker");
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(path) || readFileSync(path, "utf8") !== code) {
    // Written under a temporary name first: another process may be starting the same worker.
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, code);
    renameSync(partial, path);
  }
  script = path;
  return script;
}
