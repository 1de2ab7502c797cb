import { CONTROL_PLANE_SCHEMA_STATES, schemaStatusPage, type SchemaStatusPage } from "@sigil/db";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { openInstallation } from "../installation.ts";
import { choiceOption } from "../options.ts";
import { json, table } from "../output.ts";

type Row = SchemaStatusPage["tenants"][number];
const PAGE = 100;

/** Every tenant's schema version, page by page from the control plane (no tenant file is opened). */
function allRows(state: Row["state"] | undefined): { latest: number; summary: SchemaStatusPage["summary"]; tenants: Row[] } {
  const only = state ? { state } : {};
  const first = schemaStatusPage({ page: 1, pageSize: PAGE, ...only });
  const tenants = [...first.tenants];
  for (let page = 2; page <= first.totalPages; page += 1) tenants.push(...schemaStatusPage({ page, pageSize: PAGE, ...only }).tenants);
  return { latest: first.latest, summary: first.summary, tenants };
}

function status(options: { json?: boolean; all?: boolean; state?: string }): string {
  const state = choiceOption("--state", CONTROL_PLANE_SCHEMA_STATES, options.state);
  const manager = openInstallation();
  const shared = manager.sharedSchemaStatus();
  const result = allRows(state);
  const shown = options.all || state !== undefined ? result.tenants : result.tenants.filter((row) => row.state !== "up_to_date");
  if (options.json) return json({ shared, latest: result.latest, summary: result.summary, tenants: shown });
  const lines = [
    `shared.sqlite: v${shared.version} of v${shared.latest}${shared.version < shared.latest ? " (behind: run pnpm db:migrate)" : ""}`,
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
    .action((options: { json?: boolean; all?: boolean; state?: string }) => output.print(status(options)));
}
