/**
 * `pnpm start`: prepares the installation, then serves it. `pnpm dev` (`--dev`): the same with
 * Next's development server (Turbopack, hot reload) instead of a production build.
 * `--skip-build`: serve the production build that is already there (refused if there is none);
 * the reliability suite (reliability/) restarts the installation this way after each crash.
 *
 * 0. validates every setting (packages/api/src/server-settings.ts) and refuses to go on if one is
 *    invalid, naming it;
 * 1. migrates shared.sqlite and every tenant file (sealing secrets stored in plain text), applies
 *    the demo rules (packages/db/src/seed/demo.ts: seeded only on an empty localhost installation;
 *    refuses a public ROOT_DOMAIN while a demo password signs in), creates the system
 *    administrator from SIGIL_ADMIN_EMAIL / SIGIL_ADMIN_PASSWORD when set (all idempotent), and
 *    builds the web app and the worker's bundle (packages/api/dist/worker.mjs);
 * 2. runs the web app (apps/web/server.ts: Next behind Sigil's HTTP edge, UI + tRPC API on
 *    PORT, default 3000) and the execution worker side by side, and supervises them: if one exits, the other is stopped and the
 *    launcher exits with its code. SIGINT / SIGTERM are forwarded once to both (the worker
 *    finishes the executions in flight); a signal more than two seconds later kills them.
 *
 * The children run in process groups of their own, so a Ctrl-C in the terminal reaches them
 * once, through this launcher, not twice (the worker treats a second signal as "exit now").
 * DATA_DIR is made absolute first: every step and both servers run in different directories.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readServerSettings } from "@sigil/api";
import { HybridDatabaseManager, InvalidSettingError, prepareDemoOnStart } from "@sigil/db";

const root = resolve(import.meta.dirname, "..");
const webDir = join(root, "apps/web");
const apiDir = join(root, "packages/api");
/** The worker as the build step bundles it (packages/api/scripts/build-worker.ts). */
const WORKER_BUNDLE = "dist/worker.mjs";

// A relative DATA_DIR means relative to where `pnpm start` was typed (pnpm runs scripts in the root).
const invokedFrom = process.env.INIT_CWD ?? process.cwd();
process.env.DATA_DIR = process.env.DATA_DIR ? resolve(invokedFrom, process.env.DATA_DIR) : join(webDir, "data");

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
const port = String(settings.listen.port);
// Next told its hostname is 127.0.0.1 treats the proxy's host rewrites as external (its own URL
// then says 127.0.0.1 while the rewrite says localhost): every tenant page would be a 404.
// `localhost` binds the same loopback address without that problem.
const host = settings.listen.host === "127.0.0.1" ? "localhost" : settings.listen.host;

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
if (!dev && !skipBuild) await step("Building the web app and the worker", ["--filter", "@sigil/web", "--filter", "@sigil/api", "build"]);
if (!dev && skipBuild && !existsSync(join(webDir, ".next", "BUILD_ID")))
  fail("--skip-build: there is no production build in apps/web/.next; run `pnpm build` first.");
if (!dev && skipBuild && !existsSync(join(apiDir, WORKER_BUNDLE)))
  fail(`--skip-build: there is no worker bundle (packages/api/${WORKER_BUNDLE}); run \`pnpm build\` first.`);

const services: Record<string, { cwd: string; args: string[]; env?: Record<string, string> }> = {
  // `--import tsx`: the server is TypeScript, like the workspace packages it imports.
  web: { cwd: webDir, args: ["--import", "tsx", "server.ts", ...(dev ? ["--dev"] : [])], env: { PORT: port, HOST: host } },
  // Production: the bundle the build step made (plain node: 69 MB RSS where tsx's loader made it
  // 127 MB, README: The execution worker). Development: the source through tsx, so a change needs
  // no build. `--import tsx` in this process, not the tsx CLI, which would relay signals twice.
  worker: { cwd: apiDir, args: dev ? ["--import", "tsx", "scripts/worker.ts"] : [WORKER_BUNDLE] },
};

const running = new Map<string, ChildProcess>();
let stopping = false;
let exitCode = 0;
let lastSignalAt = 0;

function signalAll(signal: NodeJS.Signals): void {
  for (const child of running.values()) {
    try {
      // The child leads its own process group: signal the group (Next may have workers).
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function stop(reason: string, code: number, signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  console.log(`\n${reason}: stopping ${[...running.keys()].join(" and ")}…`);
  signalAll(signal);
}

for (const [name, service] of Object.entries(services)) {
  const child = spawn(process.execPath, service.args, { cwd: service.cwd, stdio: "inherit", env: { ...process.env, ...service.env }, detached: true });
  running.set(name, child);
  child.on("error", (error) => {
    console.error(`${name} could not start: ${error.message}`);
    running.delete(name);
    stop(`${name} failed`, 1, "SIGTERM");
  });
  child.on("exit", (code, signal) => {
    running.delete(name);
    if (!stopping) stop(`${name} exited (${signal ?? `code ${code}`})`, code === 0 ? 1 : (code ?? 1), "SIGTERM");
    if (running.size === 0) process.exit(exitCode);
  });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    const now = Date.now();
    if (!stopping) {
      lastSignalAt = now;
      stop(signal, signal === "SIGINT" ? 130 : 143, signal);
    } else if (now - lastSignalAt > 2_000) {
      // The same Ctrl-C may arrive twice (terminal and pnpm); a later one means "now".
      console.log(`${signal} again: killing ${[...running.keys()].join(" and ")}.`);
      signalAll("SIGKILL");
    }
  });
}
// Never leave a server behind when this launcher goes (it cannot help a SIGKILL of itself).
process.on("exit", () => signalAll("SIGKILL"));

console.log(
  `\nSigil on http://localhost:${port}  (workspaces: http://<slug>.localhost:${port}, admin: http://admin.localhost:${port})` +
    `\nData directory: ${settings.storage.dataDir}. Ctrl-C stops the web app and the worker.`,
);
