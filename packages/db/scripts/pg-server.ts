/**
 * `pnpm --filter @sigil/db pg:server`: a private PostgreSQL 15 in a temp dir, as the tests start one
 * (test/support/postgres-server.ts), kept running until Ctrl-C. It prints the superuser URL; give
 * it to several test runs as SIGIL_TEST_DATABASE_URL so they share one server instead of each
 * starting its own (README: Testing with PostgreSQL).
 */
import { PostgresBinariesMissingError, startPostgresServer } from "../test/support/postgres-server.ts";

try {
  const server = await startPostgresServer();
  console.log(`PostgreSQL is running in ${server.dir} (removed on Ctrl-C).`);
  console.log(`SIGIL_TEST_DATABASE_URL=${server.url}`);
  // The server module stops and removes the cluster on SIGINT/SIGTERM; until then keep the process alive.
  setInterval(() => undefined, 1 << 30);
} catch (error) {
  if (!(error instanceof PostgresBinariesMissingError)) throw error;
  console.error(error.message);
  process.exit(2);
}
