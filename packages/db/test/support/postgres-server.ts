import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * A private PostgreSQL 15 for one test run (README: Testing with PostgreSQL): Debian's binaries,
 * a cluster in a temp dir, trust authentication on 127.0.0.1 and a unix socket in that dir only,
 * durability off for speed. It is stopped and removed by `stop()`, and also when the process exits
 * or gets SIGINT/SIGTERM first.
 */
export const POSTGRES_BIN_DIR = "/usr/lib/postgresql/15/bin";
const SUPERUSER = "postgres";

export interface PostgresServer {
  /** Superuser URL of the `postgres` database (tests create their own databases from it). */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): void;
}

export class PostgresBinariesMissingError extends Error {
  constructor() {
    super(
      `PostgreSQL 15 is not installed (${POSTGRES_BIN_DIR}/pg_ctl is missing). Install Debian's package with \`apt-get update && apt-get install -y postgresql\`, or point SIGIL_TEST_DATABASE_URL at a superuser URL of a server you run.`,
    );
    this.name = "PostgresBinariesMissingError";
  }
}

export interface PostgresServerOptions {
  /**
   * Keep PostgreSQL's durability on (fsync, synchronous_commit, full_page_writes): for benchmarks
   * that compare it with SQLite files that fsync (bench/pg.bench.ts). Tests leave it off.
   */
  readonly durable?: boolean;
  /**
   * Leave SIGINT / SIGTERM to the caller, which stops the server itself once what runs on it has
   * shut down (scripts/pg-server.ts running `pnpm start`); it is still removed when the process exits.
   */
  readonly callerHandlesSignals?: boolean;
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  if (!existsSync(join(POSTGRES_BIN_DIR, "pg_ctl"))) throw new PostgresBinariesMissingError();
  const runAs = runAsUser();
  const dir = mkdtempSync(join(tmpdir(), "sigil-pg-"));
  // mkdtemp makes 0700 directories; the server's user must reach the cluster, socket and log.
  chmodSync(dir, 0o755);
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { mode: 0o700 });
  if (runAs) {
    chownSync(dir, runAs.uid, runAs.gid);
    chownSync(dataDir, runAs.uid, runAs.gid);
  }
  const server = { dir, dataDir, runAs, settings: options.durable ? DURABLE_SETTINGS : TEST_SETTINGS };
  let removeExitHooks = (): void => undefined;
  try {
    run(server, "initdb", ["-D", dataDir, "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "--no-sync"]);
    removeExitHooks = stopOnExit(server, { signals: !options.callerHandlesSignals });
    const port = await startOnFreePort(server);
    return {
      url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
      port,
      dir,
      stop: () => {
        removeExitHooks();
        stopAndRemove(server);
      },
    };
  } catch (error) {
    removeExitHooks();
    stopAndRemove(server);
    throw error;
  }
}

interface ServerFiles {
  readonly dir: string;
  readonly dataDir: string;
  readonly runAs: { uid: number; gid: number } | undefined;
  readonly settings: readonly string[];
}

/** initdb and postgres refuse to run as root: then they run as Debian's `postgres` user. */
function runAsUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const ids = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: ids("-u"), gid: ids("-g") };
  } catch {
    throw new Error(
      "Running as root, the test PostgreSQL needs the `postgres` OS user, which Debian's `postgresql` package creates (`apt-get install -y postgresql`).",
    );
  }
}

function run(server: ServerFiles, binary: string, args: readonly string[]): void {
  const command = join(POSTGRES_BIN_DIR, binary);
  const [file, fullArgs] = server.runAs ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, [...args]];
  const result = spawnSync(file, fullArgs, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${binary} failed (exit ${String(result.status)}): ${result.stderr.trim() || result.stdout.trim()}${serverLog(server)}`);
  }
}

/** Durability is off (fsync, synchronous_commit, full_page_writes): a crashed test run loses nothing of value. */
const TEST_SETTINGS = ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=200"];
const DURABLE_SETTINGS = ["-c max_connections=200"];

/** A free port can be taken by another process before postgres binds it; then another port is tried. */
async function startOnFreePort(server: ServerFiles): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const options = [`-p ${port}`, `-k ${server.dir}`, "-c listen_addresses=127.0.0.1", ...server.settings].join(" ");
    try {
      run(server, "pg_ctl", ["-D", server.dataDir, "-o", options, "-l", join(server.dir, "log"), "-w", "-t", "30", "start"]);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("No free port was given."))));
    });
  });
}

function stopAndRemove(server: ServerFiles): void {
  if (existsSync(join(server.dataDir, "postmaster.pid"))) {
    try {
      run(server, "pg_ctl", ["-D", server.dataDir, "-m", "immediate", "-w", "stop"]);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
    }
  }
  rmSync(server.dir, { recursive: true, force: true });
}

/** Synchronous, so it also works in an `exit` handler; a signal is raised again once cleaned up. */
function stopOnExit(server: ServerFiles, { signals }: { signals: boolean }): () => void {
  const onExit = () => stopAndRemove(server);
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    stopAndRemove(server);
    process.kill(process.pid, signal);
  };
  process.once("exit", onExit);
  if (signals) {
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  }
  const remove = () => {
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  return remove;
}

function serverLog(server: ServerFiles): string {
  const log = join(server.dir, "log");
  return existsSync(log) ? `\n${readFileSync(log, "utf8").trim().split("\n").slice(-10).join("\n")}` : "";
}
