import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { childPids, commandLine } from "../lib/processes.ts";
import { step } from "../lib/progress.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

export interface ProductionServer {
  /** The processes `pnpm start` leaves running: its launcher, the web server, the worker. */
  pids: { launcher: number; web: number; worker: number };
  stop: () => Promise<void>;
}

export interface ProductionServerOptions {
  /** More environment: `DATABASE_URL` for a server on PostgreSQL. */
  readonly env?: Record<string, string>;
  /** Reuse the build another server of this run made (`pnpm start --skip-build`). */
  readonly skipBuild?: boolean;
}

/** The production server as `pnpm start` runs it (build, web server + worker), on its own data dir. */
export async function startProductionServer(dataDir: string, port: number, options: ProductionServerOptions = {}): Promise<ProductionServer> {
  step(`${options.skipBuild ? "starting" : "building and starting"} the production server on 127.0.0.1:${port} (data in ${dataDir})`);
  const args = [join(ROOT, "scripts/start.mjs"), ...(options.skipBuild ? ["--skip-build"] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    // The benchmark signs in with a demo login: seed the demo whatever the environment says. The
    // rate limits stay on (their cost is measured) but high enough never to refuse.
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SIGIL_BENCH_BASELINE: "1",
      SIGIL_DEMO: "1",
      RATE_LIMIT_API_PER_KEY: "1000000000",
      RATE_LIMIT_API_PER_TENANT: "1000000000",
      ...options.env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  await waitUntilAnswering(child, port);
  const launcher = child.pid ?? 0;
  const children = childPids(launcher);
  const web = children.find((pid) => commandLine(pid).includes("server.mjs"));
  const worker = children.find((pid) => commandLine(pid).includes("worker.mjs"));
  if (web === undefined || worker === undefined)
    throw new Error(`the launcher's children are not the web server and the worker: ${children.map(commandLine).join("; ")}`);
  return {
    pids: { launcher, web, worker },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Waits until the server on `port` answers its landing page (five minutes: it builds first). */
async function waitUntilAnswering(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it answered`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("the server did not answer within 5 minutes");
    await sleep(500);
  }
}

/** Processes whose working directory is inside `dir` (pnpm may start scripts from another thread, so the tree is not followed). */
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, {
    cwd,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr" },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${result.status ?? result.signal ?? "?"})`);
}

export interface ReleaseServer {
  /** `<ref> (<short commit>)`. */
  label: string;
  webPid: number;
  stop: () => Promise<void>;
}

/**
 * Another commit of Sigil, served side by side with this one (`pnpm bench http --against REF`):
 * checked out in a git worktree, installed, and started with its own `pnpm start` (which builds
 * it), on its own data directory and port. Its web server is the process in the worktree that
 * runs a `server.*` file. `stop` ends it and removes the worktree (once, however often it is called).
 */
export async function startRelease(ref: string, dataDir: string, port: number): Promise<ReleaseServer> {
  const commit = spawnSync("git", ["rev-parse", "--short", `${ref}^{commit}`], { cwd: ROOT, encoding: "utf8" });
  if (commit.status !== 0) throw new Error(`--against ${ref}: not a commit of this repository`);
  const label = `${ref} (${commit.stdout.trim()})`;
  const dir = mkdtempSync(join(tmpdir(), "sigil-bench-release-"));
  step(`checking out ${label} in ${dir}, installing and starting it on 127.0.0.1:${port}`);
  run("git", ["worktree", "add", "--force", "--detach", dir, ref], ROOT);
  let child: ChildProcess | undefined;
  const stopChild = () => {
    try {
      if (child?.pid !== undefined) process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  const removeWorktree = () => run("git", ["worktree", "remove", "--force", dir], ROOT);
  try {
    run("pnpm", ["install", "--frozen-lockfile"], dir);
    const started = spawn("pnpm", ["start"], {
      cwd: dir,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        SIGIL_DEMO: "1",
        RATE_LIMIT_API_PER_KEY: "1000000000",
        RATE_LIMIT_API_PER_TENANT: "1000000000",
      },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    child = started;
    const exited = new Promise<void>((resolveExit) => started.once("exit", () => resolveExit()));
    await waitUntilAnswering(started, port);
    const running = processesIn(dir);
    const webPid = running.find((pid) => /\bserver\.(ts|mjs)\b/.test(commandLine(pid)));
    if (webPid === undefined) throw new Error(`${label}: no web server process found in ${dir} (${running.map(commandLine).join("; ")})`);
    let stopped: Promise<void> | undefined;
    return {
      label,
      webPid,
      // Once, however often it is called.
      stop: () =>
        (stopped ??= (async () => {
          stopChild();
          await exited;
          removeWorktree();
        })()),
    };
  } catch (error) {
    stopChild();
    removeWorktree();
    throw error;
  }
}
