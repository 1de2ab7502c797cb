import { readFileSync } from "node:fs";
import { join } from "node:path";
import { POSTGRES_BIN_DIR, PostgresBinariesMissingError, startPostgresServer, type PostgresServer } from "@sigil/db/bench";
import { countAsThisRun } from "./cpu-share.ts";
import { treeCpuMs } from "./processes.ts";
import { step } from "./progress.ts";

/** A bench suite's PostgreSQL: the tests' private server, plus the CPU its processes use. */
export interface BenchPostgres extends PostgresServer {
  /** CPU time in ms of the postmaster and every backend and auxiliary process so far. */
  cpuMs(): number;
}

/**
 * The postmaster's pid, from the pid file in its data directory (the cluster's `data` folder in
 * the server's dir: packages/db/test/support/postgres-server.ts).
 */
function postmasterPid(server: PostgresServer): number {
  const file = join(server.dir, "data", "postmaster.pid");
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} does not start with the postmaster's pid`);
  return pid;
}

/**
 * The one way a bench suite gets PostgreSQL: the private server the @sigil/db tests start (a temp
 * cluster, removed by `stop()` and on exit). Where PostgreSQL 15 is not installed the suite skips:
 * this prints why and returns undefined; any other failure to start is the suite's crash.
 *
 * pg_ctl starts the server as a daemon, outside this process's tree, so its CPU is reported to
 * cpu-share.ts when it stops: the run's "other processes" figure leaves it out.
 */
export async function startBenchPostgres(suite: string, options: { durable?: boolean } = {}): Promise<BenchPostgres | undefined> {
  let server: PostgresServer;
  try {
    server = await startPostgresServer(options);
  } catch (error) {
    if (!(error instanceof PostgresBinariesMissingError)) throw error;
    console.warn(
      `Suite ${suite} skipped: PostgreSQL 15 is not installed (no ${POSTGRES_BIN_DIR}/pg_ctl). Install it with \`apt-get update && apt-get install -y postgresql\`.`,
    );
    return undefined;
  }
  step(`PostgreSQL for ${suite} on 127.0.0.1:${server.port} (${server.dir})`);
  let pid: number;
  try {
    pid = postmasterPid(server);
  } catch (error) {
    server.stop();
    throw error;
  }
  let stopped = false;
  return {
    url: server.url,
    port: server.port,
    dir: server.dir,
    cpuMs: () => treeCpuMs(pid),
    stop: () => {
      if (!stopped) countAsThisRun(treeCpuMs(pid));
      stopped = true;
      server.stop();
    },
  };
}
