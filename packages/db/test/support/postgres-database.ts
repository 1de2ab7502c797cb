import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withClient } from "./pg-client.ts";
// The type of inject("postgresUrl"), for packages whose programs include this file but not the setup.
import type {} from "./postgres-global-setup.ts";

/**
 * A database of its own for one test file, on the run's server (postgres-global-setup.ts), and
 * roles named for it: roles belong to the whole server, and test files run in parallel.
 */
export interface TestDatabase {
  readonly name: string;
  /** The URL of this database as `role` (the superuser's when not given). */
  url(role?: string, password?: string): string;
  /** A superuser connection to this database; closed by `drop()`. */
  admin(): Promise<pg.Client>;
  /** Role names unique to this database: `${prefix}_${suffix}`. */
  roleName(prefix: string): string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("postgresUrl");
  const suffix = randomBytes(6).toString("hex");
  const name = `sigil_test_${suffix}`;
  const roles = new Set<string>();
  const clients: pg.Client[] = [];
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`));

  const url = (role?: string, password?: string): string => {
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    if (role !== undefined) {
      parsed.username = role;
      parsed.password = password ?? "";
    }
    return parsed.toString();
  };

  return {
    name,
    url,
    async admin() {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      clients.push(client);
      return client;
    },
    roleName(prefix) {
      const role = `${prefix}_${suffix}`;
      roles.add(role);
      return role;
    },
    async drop() {
      await Promise.all(clients.map((client) => client.end()));
      await withClient(serverUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        for (const role of roles) await client.query(`DROP ROLE IF EXISTS "${role}"`);
      });
    },
  };
}
