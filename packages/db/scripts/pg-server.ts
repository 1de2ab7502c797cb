/**
 * `pnpm --filter @sigil/db pg:server`: a private PostgreSQL 15 in a temp dir, as the tests start one
 * (test/support/postgres-server.ts), kept running until Ctrl-C. It prints the superuser URL; give
 * it to several test runs as SIGIL_TEST_DATABASE_URL so they share one server instead of each
 * starting its own (README: Testing with PostgreSQL).
 *
 * `pg-server.ts -- <command…>` (`pnpm pg:start` runs `node scripts/start.mjs` this way): creates a
 * database `sigil` on that server, runs the command with DATABASE_URL naming it, and stops and
 * removes the server once the command has exited (README: Running on PostgreSQL). SIGINT / SIGTERM
 * are passed on to the command, and the server stays up until it has shut down: the worker
 * finishes the executions in flight against a live database.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import pg from "pg";
import { PostgresBinariesMissingError, startPostgresServer, type PostgresServer } from "../test/support/postgres-server.ts";

const separator = process.argv.indexOf("--");
const command = separator === -1 ? [] : process.argv.slice(separator + 1);

let server: PostgresServer;
try {
  server = await startPostgresServer({ callerHandlesSignals: command.length > 0 });
} catch (error) {
  if (!(error instanceof PostgresBinariesMissingError)) throw error;
  console.error(error.message);
  process.exit(2);
}

if (command.length === 0) {
  console.log(`PostgreSQL is running in ${server.dir} (removed on Ctrl-C).`);
  console.log(`SIGIL_TEST_DATABASE_URL=${server.url}`);
  // The server module stops and removes the cluster on SIGINT/SIGTERM; until then keep the process alive.
  setInterval(() => undefined, 1 << 30);
} else {
  await runOn(server, command);
}

async function runOn(server: PostgresServer, [file, ...args]: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("CREATE DATABASE sigil");
  await admin.end();
  const url = new URL(server.url);
  url.pathname = "/sigil";
  console.log(`PostgreSQL is running in ${server.dir} (removed when the command exits): DATABASE_URL=${url.toString()}`);

  const child = spawn(file ?? "", args, { stdio: "inherit", env: { ...process.env, DATABASE_URL: url.toString() } });
  // A Ctrl-C in the terminal reaches the command too; one sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) => {
    child.on("error", (error) => {
      console.error(`${file ?? ""} could not start: ${error.message}`);
      resolve(1);
    });
    child.on("exit", (exitCode, signal) => resolve(exitCode ?? 128 + (signal === null ? 0 : constants.signals[signal])));
  });
  server.stop();
  process.exit(code);
}
