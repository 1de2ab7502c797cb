import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { POSTGRES_BIN_DIR, type PostgresServer } from "../../test/support/postgres-server.ts";

/** Runs SQL through psql on the server's socket, in one transaction (ON_ERROR_STOP), as the superuser; returns its unaligned output. */
export type Psql = (sql: string) => string;

export function psqlOn(server: PostgresServer): Psql {
  return (sql) =>
    execFileSync(
      join(POSTGRES_BIN_DIR, "psql"),
      [
        "-h",
        server.dir,
        "-p",
        String(server.port),
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-X",
        "-q",
        "-A",
        "-t",
        "-v",
        "ON_ERROR_STOP=1",
        "--single-transaction",
        "-f",
        "-",
      ],
      { input: sql, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
    ).trim();
}
