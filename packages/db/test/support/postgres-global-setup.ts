import type { TestProject } from "vitest/node";
import { startPostgresServer } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL of the run's PostgreSQL; test files create their own databases from it. */
    postgresUrl: string;
  }
}

/**
 * One PostgreSQL per vitest run (README: Testing with PostgreSQL): the one named by
 * SIGIL_TEST_DATABASE_URL, or a private server started here and removed at the end.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.SIGIL_TEST_DATABASE_URL?.trim();
  if (given) {
    if (!/^postgres(ql)?:\/\//.test(given)) {
      throw new Error(`SIGIL_TEST_DATABASE_URL must be a postgres:// URL of a superuser (tests create databases and roles); got ${JSON.stringify(given)}.`);
    }
    project.provide("postgresUrl", given);
    return undefined;
  }
  const server = await startPostgresServer();
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}
