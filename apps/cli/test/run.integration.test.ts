/**
 * `sigil run` (src/commands/run.ts): a script runs inside each named workspace's tenant context,
 * so its model calls read and write that workspace's file and no other; a failure in one
 * workspace is reported and the others still run; bad scripts and selections are usage errors.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HybridDatabaseManager, promptModel, tenantContext, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_DIR, runSigil } from "./run-sigil.ts";

let dataDir: string;
const ids: Record<string, string> = {};
const fixture = (name: string) => join(CLI_DIR, "test", "fixtures", name);

function sigil(args: string[]) {
  return runSigil(args, { DATA_DIR: dataDir });
}

async function promptNames(slug: string): Promise<string[]> {
  HybridDatabaseManager.configure({ dataDir });
  const id = ids[slug];
  if (!id) throw new Error(`unknown tenant ${slug}`);
  const names = await tenantContext.runWithTenant(id, async () => (await promptModel.findMany({})).map((prompt) => prompt.name).sort());
  HybridDatabaseManager.closeInstance();
  return names;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-cli-run-"));
  await HybridDatabaseManager.configure({ dataDir }).runSharedMigrations();
  const limits = { users: 5, storage: 100, executions_per_month: 1000 };
  for (const slug of ["acme", "globex", "initech"]) {
    ids[slug] = (await tenantModel.createTenant({ name: slug, slug, plan: "free", settings: { features: [], limits } })).id;
  }
  await tenantModel.update(ids.initech ?? "", { status: "suspended" });
  HybridDatabaseManager.closeInstance();
});

afterAll(() => {
  HybridDatabaseManager.closeInstance();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("sigil run", () => {
  it("runs a TypeScript script in the named workspace's context: it writes there and nowhere else", async () => {
    const run = sigil(["run", "--tenant", "acme", fixture("add-prompt.ts"), "--", "Welcome"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ tenant: "acme", prompts: ["Welcome for acme"] });
    expect(await promptNames("acme")).toEqual(["Welcome for acme"]);
    expect(await promptNames("globex")).toEqual([]);
  });

  it("runs once per active workspace with --all, goes on past a failure, and exits 1", async () => {
    const run = sigil(["run", "--all", "--json", fixture("add-prompt.ts"), "--", "Digest", "--fail-globex"]);
    expect(run.code).toBe(1);
    const outcomes = JSON.parse(run.stdout) as { tenant: string; ok: boolean; error?: string }[];
    expect(outcomes.map(({ tenant, ok }) => ({ tenant, ok }))).toEqual([
      { tenant: "acme", ok: true },
      { tenant: "globex", ok: false },
    ]);
    expect(outcomes[1]?.error).toBe("globex refused on purpose");
    expect(await promptNames("acme")).toEqual(["Digest for acme", "Welcome for acme"]);
    // The suspended workspace is not among --all, and the failed one kept nothing.
    expect(await promptNames("globex")).toEqual([]);
    expect(await promptNames("initech")).toEqual([]);
  });

  it("runs a JavaScript script and prints a string result as it is", () => {
    const run = sigil(["run", "--tenant", "acme", "--tenant", "globex", fixture("count-prompts.mjs")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("prompts: 2\nprompts: 0\n");
    expect(run.stderr).toBe("== acme\n== globex\n");
  });

  it("refuses a missing script, a module without a default function, and a missing or unknown workspace", () => {
    const missing = sigil(["run", "--tenant", "acme", fixture("nope.ts")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^sigil: No script at .*nope\.ts\.\n$/);
    const noDefault = sigil(["run", "--tenant", "acme", fixture("no-default.mjs")]);
    expect(noDefault.code).toBe(2);
    expect(noDefault.stderr).toMatch(/must export a default function/);
    const nobody = sigil(["run", fixture("count-prompts.mjs")]);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toMatch(/--tenant <slug>/);
    const unknown = sigil(["run", "--tenant", "umbrella", fixture("count-prompts.mjs")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('sigil: No workspace "umbrella" exists.\n');
  });
});
