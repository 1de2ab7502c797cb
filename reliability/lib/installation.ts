/**
 * The installation under test, started the way `pnpm start` does: scripts/start.mjs migrates,
 * bootstraps the system administrator and runs the web server (apps/web/dist/server.mjs, built
 * from server.ts) and the worker (packages/api/dist/worker.mjs, bundled from scripts/worker.ts)
 * as children in process groups of their own. The suite passes `--skip-build`, bundles the API
 * itself and builds the web app when there is no production build (a fresh clone).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sigilFetch } from "@sigil/client";
import { childPids, commandLine } from "../../bench/lib/processes.ts";

export const ROOT = join(import.meta.dirname, "..", "..");
const WEB_DIR = join(ROOT, "apps", "web");

export const ADMIN = { email: "reliability-admin@sigil.test", password: "reliability-admin-password" } as const;

/**
 * Bundles the worker (under a second, so always: a stale bundle would test old code), and builds
 * the web app unless a production build is there (`force`: always).
 */
export function ensureBuild(force: boolean): { built: boolean; ms: number } {
  const started = performance.now();
  const api = spawnSync("pnpm", ["--filter", "@sigil/api", "build"], { cwd: ROOT, stdio: "inherit" });
  if (api.status !== 0) throw new Error(`The API's build failed (exit ${api.status ?? api.signal ?? "?"}).`);
  if (!force && existsSync(join(WEB_DIR, ".next", "BUILD_ID")) && existsSync(join(WEB_DIR, "dist", "server.mjs"))) return { built: false, ms: 0 };
  console.log("▶ No production build of the web app: building it (pnpm --filter @sigil/web build)…");
  const result = spawnSync("pnpm", ["--filter", "@sigil/web", "build"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`The web app's build failed (exit ${result.status ?? result.signal ?? "?"}).`);
  return { built: true, ms: performance.now() - started };
}

export interface InstallationOptions {
  dataDir: string;
  port: number;
  /** Where the launcher's and the servers' output goes (one file per start). */
  logDir: string;
  /** The log files' prefix (default `start`): `<prefix>-N.log`. */
  logName?: string;
  env?: Record<string, string>;
}

/**
 * What the scenarios run against: one installation (`pnpm start` on SQLite files) or a cluster of
 * them on one PostgreSQL behind a proxy (lib/cluster.ts). `options.port` is where clients connect.
 */
export interface Deployment {
  readonly options: { readonly port: number };
  tenantUrl(slug: string): string;
  readonly adminUrl: string;
  /** Starts whatever is not running and waits until it answers. */
  start(extraEnv?: Record<string, string>): Promise<{ ms: number }>;
  stop(): Promise<void>;
  /** kill -9 of a server's web server and worker (on a cluster, one server in turn). */
  crash(): Promise<void>;
  /** The web server and worker of every running server. */
  servers(): ServerProcesses[];
  logPath(): string;
}

export interface ServerProcesses {
  web: number;
  worker: number;
}

/** The settings every start of the suite uses (README: Settings); `extra` adds or overrides. */
export function suiteEnvironment(options: InstallationOptions): Record<string, string> {
  return {
    DATA_DIR: options.dataDir,
    PORT: String(options.port),
    HOST: "127.0.0.1",
    SIGIL_DEMO: "0",
    SIGIL_ADMIN_EMAIL: ADMIN.email,
    SIGIL_ADMIN_PASSWORD: ADMIN.password,
    // The suite measures reliability, not the rate limiter: a Zipf head tenant would hit 429s.
    RATE_LIMIT_SIGNIN_PER_IP: "0",
    RATE_LIMIT_SIGNIN_PER_ACCOUNT: "0",
    RATE_LIMIT_API_PER_KEY: "0",
    RATE_LIMIT_API_PER_TENANT: "0",
    // Short worker timings (packages/api/src/server-settings.ts) so a killed worker's executions
    // come back within the crash scenario's bound; attempts above the number of kills, so no
    // execution fails only because the suite killed its worker three times.
    WORKER_POLL_INTERVAL_MS: "100",
    WORKER_CONCURRENCY: "8",
    WORKER_LEASE_MS: "8000",
    WORKER_RECOVERY_INTERVAL_MS: "1000",
    WORKER_EXECUTION_TIMEOUT_MS: "3000",
    PROVIDER_TIMEOUT_MS: "2500",
    WORKER_MAX_ATTEMPTS: "10",
    // The slow model server of the crash scenario (lib/slow-model.ts) listens on loopback.
    SIGIL_OUTBOUND_ALLOW: `127.0.0.1:${options.port + 1}`,
    ...options.env,
  };
}

export class Installation implements Deployment {
  private launcher: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private starts = 0;
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly options: InstallationOptions) {}

  get baseOrigin(): string {
    return `localhost:${this.options.port}`;
  }

  tenantUrl(slug: string): string {
    return `http://${slug}.localhost:${this.options.port}`;
  }

  get adminUrl(): string {
    return `http://admin.localhost:${this.options.port}`;
  }

  /** Starts scripts/start.mjs --skip-build and waits until the web server answers and both children run. */
  async start(extraEnv: Record<string, string> = {}, timeoutMs = 180_000): Promise<{ ms: number; processes: ServerProcesses }> {
    if (this.launcher) throw new Error("The installation is already running.");
    const started = performance.now();
    this.starts += 1;
    this.log = createWriteStream(this.logPath());
    const launcher = spawn(process.execPath, ["scripts/start.mjs", "--skip-build"], {
      cwd: ROOT,
      env: { ...process.env, ...suiteEnvironment({ ...this.options, env: { ...this.options.env, ...extraEnv } }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    launcher.stdout.pipe(this.log, { end: false });
    launcher.stderr.pipe(this.log, { end: false });
    this.launcher = launcher;
    this.exited = new Promise((resolve) => launcher.once("exit", (code) => resolve(code)));
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (launcher.exitCode !== null) throw new Error(`pnpm start exited with code ${launcher.exitCode} (log: ${this.logPath()}).`);
      const processes = this.processes();
      if (processes && (await this.answers())) return { ms: performance.now() - started, processes };
      await sleep(200);
    }
    throw new Error(`The installation did not answer within ${timeoutMs} ms (log: ${this.logPath()}).`);
  }

  logPath(): string {
    return join(this.options.logDir, `${this.options.logName ?? "start"}-${this.starts}.log`);
  }

  get running(): boolean {
    return this.launcher !== undefined;
  }

  servers(): ServerProcesses[] {
    const processes = this.processes();
    return processes ? [processes] : [];
  }

  /** The web server's and the worker's pids (children of the launcher), once both run. */
  processes(): ServerProcesses | undefined {
    const pid = this.launcher?.pid;
    if (pid === undefined) return undefined;
    let web: number | undefined;
    let worker: number | undefined;
    for (const child of childPids(pid)) {
      const command = commandLine(child);
      if (command.includes("server.mjs") || command.includes("server.ts")) web = child;
      else if (command.includes("dist/worker.mjs") || command.includes("scripts/worker.ts")) worker = child;
    }
    return web !== undefined && worker !== undefined ? { web, worker } : undefined;
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await sigilFetch(`${this.adminUrl}/api/trpc/admin.me`, { signal: AbortSignal.timeout(2_000) });
      await response.text();
      return response.status < 500;
    } catch {
      return false;
    }
  }

  /**
   * kill -9 of the worker's and the web server's process groups, worker first: both die by
   * SIGKILL before the launcher could stop the other one gently. Then waits for the launcher.
   */
  async crash(): Promise<void> {
    const processes = this.processes();
    if (!processes) throw new Error("Nothing to crash: the servers are not running.");
    killGroup(processes.worker, "SIGKILL");
    killGroup(processes.web, "SIGKILL");
    await this.exited;
    this.launcher = undefined;
  }

  /** SIGTERM to the launcher (it forwards it once to both servers, like Ctrl-C), then waits. */
  async stop(): Promise<void> {
    const launcher = this.launcher;
    if (!launcher) return;
    launcher.kill("SIGTERM");
    const timer = setTimeout(() => {
      const processes = this.processes();
      if (processes) {
        killGroup(processes.worker, "SIGKILL");
        killGroup(processes.web, "SIGKILL");
      }
    }, 15_000);
    await this.exited;
    clearTimeout(timer);
    this.launcher = undefined;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
