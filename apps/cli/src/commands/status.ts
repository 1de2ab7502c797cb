import { CONTROL_PLANE_SCHEMA_STATES } from "@sigil/validators";
import type { Command } from "commander";
import type { AdminBackend, SchemaStatus } from "../admin-backend.ts";
import type { Output } from "../program.ts";
import { choiceOption } from "../options.ts";
import { json, table } from "../output.ts";
import { adminBackendFor } from "../target.ts";

type Row = SchemaStatus["tenants"][number];
const PAGE = 100;

/** Every tenant's schema version, page by page from the control plane (no tenant file is opened). */
async function allRows(backend: AdminBackend, state: Row["state"] | undefined): Promise<{ latest: number; summary: SchemaStatus["summary"]; tenants: Row[] }> {
  const only = state ? { state } : {};
  const first = await backend.schemaStatus({ page: 1, pageSize: PAGE, ...only });
  const tenants = [...first.tenants];
  for (let page = 2; page <= first.totalPages; page += 1) tenants.push(...(await backend.schemaStatus({ page, pageSize: PAGE, ...only })).tenants);
  return { latest: first.latest, summary: first.summary, tenants };
}

async function status(backend: AdminBackend, options: { json?: boolean; all?: boolean; state?: string }): Promise<string> {
  const state = choiceOption("--state", CONTROL_PLANE_SCHEMA_STATES, options.state);
  const shared = await backend.sharedSchema();
  const result = await allRows(backend, state);
  const shown = options.all || state !== undefined ? result.tenants : result.tenants.filter((row) => row.state !== "up_to_date");
  if (options.json) return json({ shared, latest: result.latest, summary: result.summary, tenants: shown });
  const lines = [
    shared === null
      ? "shared.sqlite: not reported by the API (a server migrates it before it serves)."
      : `shared.sqlite: v${shared.version} of v${shared.latest}${shared.version < shared.latest ? " (behind: run pnpm db:migrate)" : ""}`,
    `Tenant schema: latest v${result.latest}. ${result.summary.up_to_date} up to date, ${result.summary.behind} behind, ${result.summary.unknown} unknown.`,
  ];
  if (shown.length > 0) {
    lines.push(
      "",
      table(
        ["SLUG", "STATUS", "SCHEMA", "STATE"],
        shown.map((row) => [row.slug, row.status, row.version === null ? null : `v${row.version}`, row.state.replaceAll("_", " ")]),
      ),
    );
  }
  if (result.summary.behind + result.summary.unknown > 0) lines.push("", "Tenants behind are migrated by pnpm db:migrate (or on their next open).");
  return lines.join("\n");
}

export function registerStatusCommand(program: Command, output: Output): void {
  program
    .command("status")
    .description("schema version of shared.sqlite and of every tenant against the latest; lists the tenants not up to date")
    .option("--all", "list every tenant, also those up to date")
    .option("--state <state>", `list only tenants in this state: ${CONTROL_PLANE_SCHEMA_STATES.join(", ")}`)
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean; all?: boolean; state?: string }, command: Command) =>
      output.print(await status(adminBackendFor(command), options)),
    );
}
