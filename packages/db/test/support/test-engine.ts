/**
 * The engine a suite runs on: SQLite unless SIGIL_TEST_ENGINE=postgres (set by the vitest project
 * "postgres", vitest.config.ts). Suites that test SQLite files themselves do not run there.
 */
export function testEngine(): "sqlite" | "postgres" {
  const value = process.env.SIGIL_TEST_ENGINE ?? "sqlite";
  if (value !== "sqlite" && value !== "postgres") throw new Error(`SIGIL_TEST_ENGINE must be sqlite or postgres; got ${JSON.stringify(value)}.`);
  return value;
}
