/**
 * The preparation half of `pnpm start` / `pnpm dev` (scripts/start.mjs runs it, then serves):
 *
 * 0. validates every setting (packages/api/src/server-settings.ts) and refuses to go on if one is
 *    invalid, naming it;
 * 1. migrates shared.sqlite and every tenant file (sealing secrets stored in plain text), applies
 *    the demo rules (packages/db/src/seed/demo.ts: seeded only on an empty localhost installation;
 *    refuses a public ROOT_DOMAIN while a demo password signs in), creates the system
 *    administrator from SIGIL_ADMIN_EMAIL / SIGIL_ADMIN_PASSWORD when set (all idempotent);
 * 2. builds what the servers run (production only): the web app (Next's build and
 *    apps/web/dist/server.mjs) and the API's bundles (packages/api/dist: the worker, and the API
 *    the web server loads). `--skip-build` checks that they are there instead.
 *
 * Exits 0 when the installation is ready to serve, non-zero (after saying why) when not.
 * DATA_DIR arrives absolute (scripts/start.mjs resolves it).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readServerSettings } from "@sigil/api";
import { HybridDatabaseManager, InvalidSettingError, prepareDemoOnStart } from "@sigil/db";

const root = resolve(import.meta.dirname, "..");
const webDir = join(root, "apps/web");
const apiDir = join(root, "packages/api");
/** What the build step makes and `--skip-build` requires (packages/api/scripts/build.ts, apps/web/build/server.ts). */
const BUILD_OUTPUTS = [
  join(webDir, ".next", "BUILD_ID"),
  join(webDir, "dist", "server.mjs"),
  join(apiDir, "dist", "worker.mjs"),
  join(apiDir, "dist", "index.mjs"),
];

const dev = process.argv.includes("--dev");
const skipBuild = process.argv.includes("--skip-build");

function fail(message: string): never {
  console.error(`pnpm start: ${message}`);
  process.exit(1);
}

// Every setting is checked before anything is migrated or built (the children read the same ones).
let settings: ReturnType<typeof readServerSettings>;
try {
  settings = readServerSettings(process.env);
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  fail(`invalid settings (README: Settings):\n${error.message}`);
}

/** pnpm itself: the binary or script that runs this script (npm_execpath), else the one on PATH. */
function pnpmCommand(args: string[]): [string, string[]] {
  const execPath = process.env.npm_execpath;
  // Started by npx / Playwright, npm_execpath is npm's: use pnpm from PATH then.
  if (!execPath || !/pnpm/.test(execPath)) return ["pnpm", args];
  return /\.[cm]?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
}

/** Runs one preparation step in the foreground; a failure ends `pnpm start` with its code. */
function step(title: string, args: string[]): Promise<void> {
  console.log(`\n▶ ${title}`);
  const [command, commandArgs] = pnpmCommand(args);
  return new Promise((resolveStep) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: "inherit", env: process.env });
    child.on("error", (error) => fail(`${title}: ${error.message}`));
    child.on("exit", (code, signal) => {
      if (code === 0) resolveStep();
      else fail(`${title} failed (${signal ?? `exit code ${code}`}).`);
    });
  });
}

await step("Migrating the databases", ["db:migrate"]);
console.log("\n▶ Demo installation (README: Demo tenants and logins)");
{
  const manager = HybridDatabaseManager.configure({ dataDir: settings.storage.dataDir });
  const demo = await prepareDemoOnStart({ ...settings.demo, rootDomain: settings.api.rootDomain });
  manager.close();
  for (const line of demo.lines) console.log(line);
  for (const warning of demo.warnings) console.warn(`WARNING: ${warning}`);
  if (demo.refusal) fail(demo.refusal);
}
await step("System administrator from SIGIL_ADMIN_EMAIL (if set)", ["--filter", "@sigil/api", "admin:bootstrap", "--optional"]);
if (!dev && !skipBuild) await step("Building the web app and the API", ["--filter", "@sigil/web", "--filter", "@sigil/api", "build"]);
const missing = !dev && skipBuild ? BUILD_OUTPUTS.filter((file) => !existsSync(file)) : [];
if (missing.length > 0)
  fail(`--skip-build: the production build is incomplete (no ${missing.map((file) => file.slice(root.length + 1)).join(", ")}); run \`pnpm build\` first.`);
