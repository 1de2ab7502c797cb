import { join } from "node:path";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, test } from "vitest";
import { sigilConfig } from "./index.js";

type Layer = Parameters<typeof sigilConfig>[0]["layer"];
const HERE = import.meta.dirname;

/** The config a package gets, as eslint's own type (typescript-eslint types the same objects apart). */
function configFor(layer: Layer, extra: Linter.Config[] = []): Linter.Config[] {
  return [...(sigilConfig({ layer, tsconfigRootDir: HERE }) as unknown as Linter.Config[]), ...extra];
}

/**
 * The layering of docs/architecture.md (Layers) is enforced by lint: these are the imports it must refuse. The
 * snippets are in no tsconfig, so the type-aware rules (tested below) are left out here.
 */
async function restrictedImportErrors(layer: Layer, code: string): Promise<string[]> {
  const disableTypeChecked = tseslint.configs.disableTypeChecked as unknown as Linter.Config;
  const eslint = new ESLint({ cwd: HERE, overrideConfigFile: true, overrideConfig: configFor(layer, [disableTypeChecked]) });
  const [result] = await eslint.lintText(code, { filePath: "src/example.ts" });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("only @sigil/db may touch a database driver", () => {
  test.each(["api", "client", "app", "validators"] as const)("%s may not import a database driver (better-sqlite3, pg) or a Drizzle driver", async (layer) => {
    expect(await restrictedImportErrors(layer, 'import Database from "better-sqlite3";\nexport { Database };\n')).toHaveLength(1);
    expect(await restrictedImportErrors(layer, 'import { drizzle } from "drizzle-orm/better-sqlite3";\nexport { drizzle };\n')).toHaveLength(1);
    expect(await restrictedImportErrors(layer, 'import { drizzle } from "drizzle-orm/libsql";\nexport { drizzle };\n')).toHaveLength(1);
    expect(await restrictedImportErrors(layer, 'import pg from "pg";\nexport { pg };\n')).toHaveLength(1);
    expect(await restrictedImportErrors(layer, 'import { drizzle } from "drizzle-orm/node-postgres";\nexport { drizzle };\n')).toHaveLength(1);
  });

  test("db may", async () => {
    expect(await restrictedImportErrors("db", 'import Database from "better-sqlite3";\nexport { Database };\n')).toEqual([]);
    expect(await restrictedImportErrors("db", 'import pg from "pg";\nimport { drizzle } from "drizzle-orm/node-postgres";\nexport { pg, drizzle };\n')).toEqual(
      [],
    );
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

describe("type-aware rules catch promises nobody handles", () => {
  /** Lints `code` as if it were this file, which this package's tsconfig covers, so types are known. */
  async function typedErrors(code: string): Promise<(string | null)[]> {
    const eslint = new ESLint({ cwd: HERE, overrideConfigFile: true, overrideConfig: configFor("tooling") });
    const [result] = await eslint.lintText(code, { filePath: join(HERE, "layering.test.ts") });
    return (result?.messages ?? []).map((m) => m.ruleId);
  }

  test("a floating promise and an async callback where void is expected are errors; awaited or voided they pass", async () => {
    const errors = await typedErrors(
      [
        "async function save(): Promise<void> {}",
        "save();",
        'process.on("exit", async () => { await save(); });',
        "export async function handled(): Promise<void> {",
        "  await save();",
        "  void save();",
        "  save().catch((error: unknown) => console.error(error));",
        "}",
        "",
      ].join("\n"),
    );
    expect(errors.sort()).toEqual(["@typescript-eslint/no-floating-promises", "@typescript-eslint/no-misused-promises"]);
  }, 30_000);
});
