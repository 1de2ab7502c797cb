import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const WORKER_SOURCE = fileURLToPath(new URL("./file-worker.ts", import.meta.url));
let script: string | undefined;

/**
 * The file worker as one plain CommonJS file, bundled from file-worker.ts on first use. A worker
 * that loaded our TypeScript through tsx spent ~250 ms starting (tsx's loader and its own esbuild
 * service per thread); a bundle starts in a few ms, and CommonJS skips the ES module loader's
 * start-up too. better-sqlite3 (a native addon) stays external, required by absolute path so the
 * bundle can live in the temp directory.
 */
export async function fileWorkerScript(): Promise<string> {
  if (script !== undefined && existsSync(script)) return script;
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const directory = join(tmpdir(), "sigil-file-worker");
  // One manifest per checkout: the bundle it names is reused while its sources are unchanged, so
  // a process (the server's first maintenance run, each CLI run) starts its workers without
  // running esbuild, whose start-up competed with requests for the CPU.
  const manifestPath = join(directory, `manifest-${sha256(`${WORKER_SOURCE}\n${driver}`)}.json`);
  script = reusableBundle(manifestPath) ?? (await bundle(directory, manifestPath, driver));
  return script;
}

export interface Manifest {
  bundle: string;
  /** The source files esbuild read, and the hash of their contents together. */
  inputs: string[];
  inputsHash: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

export function hashOfFiles(paths: readonly string[]): string | undefined {
  try {
    return sha256(paths.map((path) => `${path}\n${readFileSync(path, "utf8")}`).join("\n"));
  } catch {
    return undefined;
  }
}

/** The bundle a manifest names, if it exists and every source it was built from is unchanged. */
export function reusableBundle(manifestPath: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    if (!existsSync(manifest.bundle) || hashOfFiles(manifest.inputs) !== manifest.inputsHash) return undefined;
    return manifest.bundle;
  } catch {
    return undefined;
  }
}

/** Written under a temporary name first: another process may be writing the same file. */
function writeAtomically(path: string, text: string): void {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}

async function bundle(directory: string, manifestPath: string, driver: string): Promise<string> {
  const result = await build({
    entryPoints: [WORKER_SOURCE],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    write: false,
    metafile: true,
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
  if (code === undefined) throw new Error("Bundling the file worker produced no output.");
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${sha256(code)}.cjs`);
  if (!existsSync(path) || readFileSync(path, "utf8") !== code) writeAtomically(path, code);
  // esbuild names its inputs relative to the working directory.
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(input));
  const inputsHash = hashOfFiles(inputs);
  if (inputsHash !== undefined) writeAtomically(manifestPath, JSON.stringify({ bundle: path, inputs, inputsHash } satisfies Manifest));
  return path;
}
