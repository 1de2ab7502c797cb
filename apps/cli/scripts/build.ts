/**
 * `pnpm --filter @sigil/cli build`: the CLI as one JavaScript bundle, dist/sigil.mjs, run by plain
 * node (tooling/bundle: how). dist/inputs.json lists the workspace sources it was built from, so
 * bin/sigil.mjs can tell a stale bundle and rebuild it before running.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { bundle } from "@sigil/bundle";

const packageDir = join(import.meta.dirname, "..");
const metafile = await bundle({ packageDir, entries: { sigil: "src/bin.ts" } });
const sources = Object.keys(metafile.inputs)
  .filter((input) => !input.includes("node_modules"))
  .map((input) => resolve(process.cwd(), input));
writeFileSync(join(packageDir, "dist", "inputs.json"), `${JSON.stringify(sources, null, 2)}\n`);
