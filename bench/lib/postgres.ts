import { POSTGRES_BIN_DIR, PostgresBinariesMissingError, startPostgresServer, type PostgresServer } from "@sigil/db/bench";
import { step } from "./progress.ts";

export type { PostgresServer };

/**
 * The one way a bench suite gets PostgreSQL: the private server the @sigil/db tests start (a temp
 * cluster, removed by `stop()` and on exit). Where PostgreSQL 15 is not installed the suite skips:
 * this prints why and returns undefined; any other failure to start is the suite's crash.
 */
export async function startBenchPostgres(suite: string, options: { durable?: boolean } = {}): Promise<PostgresServer | undefined> {
  try {
    const server = await startPostgresServer(options);
    step(`PostgreSQL for ${suite} on 127.0.0.1:${server.port} (${server.dir})`);
    return server;
  } catch (error) {
    if (!(error instanceof PostgresBinariesMissingError)) throw error;
    console.warn(
      `Suite ${suite} skipped: PostgreSQL 15 is not installed (no ${POSTGRES_BIN_DIR}/pg_ctl). Install it with \`apt-get update && apt-get install -y postgresql\`.`,
    );
    return undefined;
  }
}
