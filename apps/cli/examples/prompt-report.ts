/**
 * An example for `sigil run`: the workspace's prompts with their current versions, and, with
 * `-- --describe <text>`, a description for every prompt that has none (a change that records
 * a new version, as an edit in the workspace would). Run it with
 *   pnpm sigil run --tenant acme apps/cli/examples/prompt-report.ts
 *   pnpm sigil run --all apps/cli/examples/prompt-report.ts -- --describe "Needs an owner"
 */
import type { TenantScriptContext } from "../src/tenant-script.ts";

export default async function promptReport({ tenant, args, models }: TenantScriptContext) {
  const flag = args.indexOf("--describe");
  const description = flag >= 0 ? args[flag + 1] : undefined;
  const prompts = await models.prompts.findMany({ orderBy: { column: "createdAt", direction: "asc" } });
  let described = 0;
  if (description) {
    for (const prompt of prompts.filter((candidate) => candidate.description === "")) {
      await models.prompts.update(prompt.id, { description });
      described += 1;
    }
  }
  return { workspace: tenant.slug, prompts: prompts.map((prompt) => ({ name: prompt.name, version: prompt.currentVersion })), described };
}
