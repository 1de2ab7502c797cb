import { ESLint, type Linter } from "eslint";
import { describe, expect, test } from "vitest";
import { sigilConfig } from "./index.js";

/** The layering of ARCHITECTURE.md is enforced by lint: these are the imports it must refuse. */
async function restrictedImportErrors(layer: Parameters<typeof sigilConfig>[0]["layer"], code: string): Promise<string[]> {
  // typescript-eslint types its configs apart from eslint's own Config type; they are the same objects.
  const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: sigilConfig({ layer }) as unknown as Linter.Config[] });
  const [result] = await eslint.lintText(code, { filePath: "src/example.ts" });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("only @sigil/db may touch SQLite drivers", () => {
  test.each(["api", "client", "app", "validators"] as const)("%s may not import better-sqlite3 or a Drizzle driver", async (layer) => {
    expect(await restrictedImportErrors(layer, 'import Database from "better-sqlite3";\nexport { Database };\n')).toHaveLength(1);
    expect(await restrictedImportErrors(layer, 'import { drizzle } from "drizzle-orm/better-sqlite3";\nexport { drizzle };\n')).toHaveLength(1);
    expect(await restrictedImportErrors(layer, 'import { drizzle } from "drizzle-orm/libsql";\nexport { drizzle };\n')).toHaveLength(1);
  });

  test("db may", async () => {
    expect(await restrictedImportErrors("db", 'import Database from "better-sqlite3";\nexport { Database };\n')).toEqual([]);
  });

  test("query builders from drizzle-orm itself stay allowed everywhere", async () => {
    expect(await restrictedImportErrors("api", 'import { eq } from "drizzle-orm";\nexport { eq };\n')).toEqual([]);
  });
});

describe("imports flow one way: apps → client/api → db/validators", () => {
  test.each([
    ["db", "@sigil/api"],
    ["db", "@sigil/validators"],
    ["validators", "@sigil/db"],
    ["api", "@sigil/web"],
    ["client", "@sigil/db"],
  ] as const)("%s may not import %s", async (layer, target) => {
    expect(await restrictedImportErrors(layer, `import * as x from "${target}";\nexport { x };\n`)).toHaveLength(1);
  });

  test("api may import db and validators", async () => {
    expect(await restrictedImportErrors("api", 'import * as a from "@sigil/db";\nimport * as b from "@sigil/validators";\nexport { a, b };\n')).toEqual([]);
  });
});
