// @ts-check
/**
 * `pnpm start`: prepares the installation, then serves it. `pnpm dev` (`--dev`): the same with
 * Next's development server (Turbopack, hot reload) and the sources through tsx instead of the
 * production build. `--skip-build`: serve the production build that is already there (refused if
 * it is incomplete); the reliability suite (reliability/) restarts the installation this way.
 *
 * 1. scripts/prepare.ts (through tsx, in a child that exits): checks every setting, migrates,
 *    applies the demo rules, creates the system administrator, builds;
 * 2. runs the web server (apps/web/server.ts: pages and API on PORT, default 3000) and the
 *    execution worker side by side, and supervises them: if one exits, the other is stopped and
 *    the launcher exits with its code. SIGINT / SIGTERM are forwarded once to both (the worker
 *    finishes the executions in flight); a signal more than two seconds later kills them.
 *
 * This file is plain JavaScript (type-checked: root tsconfig.json, checkJs) so that the process
 * that stays up the whole time is plain node, without tsx's loader and its esbuild service; in
 * production both servers run compiled bundles too (README: Memory).
 *
 * The children run in process groups of their own, so a Ctrl-C in the terminal reaches them
 * once, through this launcher, not twice (the worker treats a second signal as "exit now").
 * DATA_DIR is made absolute first: every step and both servers run in different directories.
 */
import { spawn, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const webDir = join(root, "apps/web");
const apiDir = join(root, "packages/api");

// A relative DATA_DIR means relative to where `pnpm start` was typed (pnpm runs scripts in the root).
const invokedFrom = process.env.INIT_CWD ?? process.cwd();
process.env.DATA_DIR = process.env.DATA_DIR ? resolve(invokedFrom, process.env.DATA_DIR) : join(webDir, "data");

const dev = process.argv.includes("--dev");
const flags = process.argv.slice(2).filter((arg) => arg === "--dev" || arg === "--skip-build");

const prepared = spawnSync(process.execPath, ["--import", "tsx", "scripts/prepare.ts", ...flags], { cwd: root, stdio: "inherit", env: process.env });
if (prepared.status !== 0) process.exit(prepared.status ?? 1);

/** @type {Record<string, { cwd: string; args: string[] }>} */
const services = {
  // Production: the builds prepare.ts made, on plain node. The web server loads the API's compiled
  // bundle (`sigil-dist`: packages/api/package.json exports). Development: the sources through
  // tsx, so a change needs no build; `--import tsx` in the child, not the tsx CLI, which would
  // relay signals twice.
  web: { cwd: webDir, args: dev ? ["--import", "tsx", "server.ts", "--dev"] : ["--conditions=sigil-dist", "dist/server.mjs"] },
  worker: { cwd: apiDir, args: dev ? ["--import", "tsx", "scripts/worker.ts"] : ["dist/worker.mjs"] },
};

/** @type {Map<string, import("node:child_process").ChildProcess>} */
const running = new Map();
let stopping = false;
let exitCode = 0;
let lastSignalAt = 0;

/** @param {NodeJS.Signals} signal */
function signalAll(signal) {
  for (const child of running.values()) {
    try {
      // The child leads its own process group: signal the group (Next may have workers).
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * @param {string} reason
 * @param {number} code
 * @param {NodeJS.Signals} signal
 */
function stop(reason, code, signal) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  console.log(`\n${reason}: stopping ${[...running.keys()].join(" and ")}…`);
  signalAll(signal);
}

for (const [name, service] of Object.entries(services)) {
  // NODE_ENV tells both servers their mode: the web server's Next and both processes' log format
  // (pretty lines with --dev, JSON otherwise; LOG_FORMAT overrides; README: Operating it, Logs).
  const env = { ...process.env, NODE_ENV: dev ? "development" : "production" };
  const child = spawn(process.execPath, service.args, { cwd: service.cwd, stdio: "inherit", env, detached: true });
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

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
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

console.log(`\nData directory: ${process.env.DATA_DIR}. Ctrl-C stops the web server and the worker.`);
