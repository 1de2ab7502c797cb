#!/usr/bin/env node
// @ts-check
/**
 * `sigil` (`pnpm sigil …` from the repository's root): runs the compiled CLI, dist/sigil.mjs, on
 * plain node. When the bundle is missing, or a workspace source it was built from changed since
 * (dist/inputs.json), it is rebuilt first (about a second), so a checkout never runs stale code.
 * Plain JavaScript (type-checked: checkJs) so that nothing but node runs unless a build is due.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const cliDir = join(import.meta.dirname, "..");
const bundle = join(cliDir, "dist", "sigil.mjs");
const inputs = join(cliDir, "dist", "inputs.json");

/** @param {string} file */
function modifiedAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function stale() {
  if (!existsSync(bundle) || !existsSync(inputs)) return true;
  const builtAt = modifiedAt(bundle);
  const sources = /** @type {unknown} */ (JSON.parse(readFileSync(inputs, "utf8")));
  return !Array.isArray(sources) || sources.some((file) => typeof file !== "string" || modifiedAt(file) > builtAt);
}

if (stale()) {
  const built = spawnSync(process.execPath, ["--import", "tsx", join(cliDir, "scripts", "build.ts")], {
    cwd: cliDir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (built.status !== 0) {
    console.error("sigil: the CLI could not be built (see above).");
    process.exit(1);
  }
}
await import(pathToFileURL(bundle).href);
