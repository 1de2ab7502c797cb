import { expect, test } from "vitest";
import { compiled } from "./compiled.ts";
import type { Db, Session } from "./session.ts";
import { sqliteTables } from "./tables.ts";

const sessionOn = (db: object): Session => ({ engine: "sqlite", db: db as Db, t: sqliteTables });

test("a query is compiled once per connection and key, and never shared across connections or keys", () => {
  let builds = 0;
  const build = () => ({ prepare: () => ({ compiledAs: (builds += 1) }) });
  const first = sessionOn({});
  const second = sessionOn({});
  const a = compiled(first, "prompts.count", build);
  expect(compiled(first, "prompts.count", build)).toBe(a);
  expect(builds).toBe(1);
  expect(compiled(first, "prompts.page:null", build)).not.toBe(a);
  expect(compiled(second, "prompts.count", build)).not.toBe(a);
  expect(builds).toBe(3);
});
