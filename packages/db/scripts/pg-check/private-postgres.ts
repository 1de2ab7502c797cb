/**
 * A throwaway PostgreSQL 15 server for the manual apply check (scripts/pg-apply-check.ts): its own
 * temp directory, a port of the caller's choice, 127.0.0.1 and a socket in that directory only,
 * trust authentication for the `postgres` user. initdb refuses to run as root, so as root the
 * server runs as the `postgres` OS user (docs/architecture.md, "PostgreSQL schemas").
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PrivatePostgres {
  /** Runs SQL through psql in one transaction (ON_ERROR_STOP) and returns its unaligned output. */
  psql(sql: string): string;
  stop(): void;
}

function asServerUser(command: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

export function startPrivatePostgres(port: number): PrivatePostgres {
  if (!existsSync(join(BIN, "initdb"))) throw new Error(`No PostgreSQL binaries in ${BIN}: install Debian's postgresql package or set PG_BIN.`);
  const dir = mkdtempSync(join(tmpdir(), "sigil-pg-check-"));
  // mkdtemp makes 0700 directories; the server user must reach its data directory and socket.
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  const data = join(dir, "data");
  let started = false;
  const stop = () => {
    if (started) asServerUser(join(BIN, "pg_ctl"), ["-D", data, "-m", "fast", "stop"]);
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asServerUser(join(BIN, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"]);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
    asServerUser(join(BIN, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  const psql = (sql: string) =>
    execFileSync(
      join(BIN, "psql"),
      ["-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"],
      {
        input: sql,
        encoding: "utf8",
        stdio: ["pipe", "pipe", "pipe"],
      },
    ).trim();
  return { psql, stop };
}
