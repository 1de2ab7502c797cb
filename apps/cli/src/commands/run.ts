import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import type { Command } from "commander";
import { CliError, usageError } from "../errors.ts";
import { openInstallation, requireTenant, typedPath } from "../installation.ts";
import { repeatable } from "../options.ts";
import { json } from "../output.ts";
import type { Output } from "../program.ts";
import { scriptContext, type TenantScript } from "../tenant-script.ts";

interface RunOptions {
  tenant: string[];
  all?: boolean;
  json?: boolean;
}

type Outcome = { tenant: string; ok: true; result: unknown } | { tenant: string; ok: false; error: string };

// A specifier esbuild cannot follow: tsx is loaded from apps/cli/node_modules when a TypeScript
// script needs it, not bundled into the CLI (it registers node loader hooks of its own).
const TSX_API = "tsx/esm/api";

/** The script's default export; TypeScript through tsx, JavaScript as it is. */
async function loadScript(path: string): Promise<TenantScript> {
  const file = typedPath(path);
  if (!existsSync(file)) throw usageError(`No script at ${file}.`);
  const url = pathToFileURL(file).href;
  let loaded: { default?: unknown };
  try {
    if (/\.[cm]?tsx?$/.test(file)) {
      const { tsImport } = (await import(TSX_API)) as { tsImport: (specifier: string, parent: string) => Promise<{ default?: unknown }> };
      loaded = await tsImport(url, import.meta.url);
    } else {
      loaded = (await import(url)) as { default?: unknown };
    }
  } catch (error) {
    throw new CliError(`The script ${path} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const main = loaded.default;
  if (typeof main !== "function") throw usageError(`The script ${path} must export a default function (it receives { tenant, args, models }).`);
  return main as TenantScript;
}

async function tenantsOf(options: RunOptions): Promise<TenantRow[]> {
  if (options.all && options.tenant.length > 0) throw usageError("Give --tenant or --all, not both.");
  if (options.all) {
    openInstallation();
    return tenantModel.findActive();
  }
  if (options.tenant.length === 0) throw usageError("Name the workspace: --tenant <slug> (repeatable), or --all for every active one.");
  const tenants: TenantRow[] = [];
  for (const slug of options.tenant) tenants.push(await requireTenant(slug, "--tenant"));
  return tenants;
}

function printable(result: unknown): string | undefined {
  if (result === undefined) return undefined;
  return typeof result === "string" ? result : json(result);
}

/**
 * stancl's `tenants:run`: runs a script once per tenant, each time inside that tenant's context
 * (tenantContext.runWithTenant), so every model call is scoped to it. Tenants run one after the
 * other; a failure is reported and the next tenant still runs.
 */
async function run(scriptPath: string, args: string[], options: RunOptions, output: Output, io: { err: (text: string) => void }): Promise<void> {
  const tenants = await tenantsOf(options);
  const script = await loadScript(scriptPath);
  const outcomes: Outcome[] = [];
  for (const tenant of tenants) {
    if (tenants.length > 1 && !options.json) io.err(`== ${tenant.slug}`);
    try {
      const result: unknown = await tenantContext.runWithTenant(tenant.id, () => script(scriptContext(tenant, args)));
      outcomes.push({ tenant: tenant.slug, ok: true, result });
      const text = printable(result);
      if (!options.json && text !== undefined) output.print(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcomes.push({ tenant: tenant.slug, ok: false, error: message });
      if (!options.json) io.err(`sigil: the script failed for "${tenant.slug}": ${message}`);
    }
  }
  if (options.json) output.print(json(outcomes));
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  if (failed > 0) {
    if (!options.json && tenants.length > 1) io.err(`sigil: the script failed for ${failed} of ${tenants.length} workspaces.`);
    output.setExitCode(1);
  }
  if (tenants.length === 0 && !options.json) io.err("No active workspace: nothing ran.");
}

export function registerRunCommand(program: Command, output: Output, io: { err: (text: string) => void }): void {
  program
    .command("run")
    .description("run a script (TypeScript or JavaScript) inside a workspace's tenant context, once per workspace")
    .argument("<script>", "a module whose default export receives { tenant, args, models } (apps/cli/examples/)")
    .argument("[args...]", "passed to the script as args (after --)")
    .option("--tenant <slug>", "the workspace (repeatable)", repeatable, [])
    .option("--all", "every active workspace")
    .option("--json", "print one JSON array: per workspace, its result or its error")
    .action((script: string, args: string[], options: RunOptions) => run(script, args, options, output, io));
}
