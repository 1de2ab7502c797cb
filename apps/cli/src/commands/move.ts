import { MOVE_DESTINATIONS, moveTenant, type MoveDestination } from "@sigil/api";
import type { MoveProgress } from "@sigil/db";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { requireTenant } from "../installation.ts";
import { operator } from "../operator.ts";
import { json } from "../output.ts";
import { progress, type Progress } from "../progress.ts";

interface MoveOptions {
  tenant?: string;
  to?: string;
  json?: boolean;
}

const DESTINATIONS = Object.keys(MOVE_DESTINATIONS) as MoveDestination[];

function destination(to: string | undefined): MoveDestination {
  const known = DESTINATIONS.find((name) => name === to);
  if (!known) throw usageError(`Say where to move the workspace: --to ${DESTINATIONS.join(" or --to ")}${to === undefined ? "" : ` (not "${to}")`}.`);
  return known;
}

/** Steps on stderr, and a bar over the tables while they are copied. */
function progressPrinter(): { onProgress: (progress: MoveProgress) => void; finish: () => void } {
  let bar: Progress | undefined;
  let step: MoveProgress["step"] | undefined;
  return {
    onProgress: (update) => {
      if (update.table) {
        bar ??= progress(update.table.tables, "tables copied");
        bar.update(update.table.tablesDone, 0);
        return;
      }
      if (update.step === step) return;
      step = update.step;
      bar?.finish();
      bar = undefined;
      process.stderr.write(`${update.step}…\n`);
    },
    finish: () => bar?.finish(),
  };
}

async function move(options: MoveOptions): Promise<string> {
  if (options.tenant === undefined) throw usageError("Say which workspace to move: --tenant <slug>.");
  const to = destination(options.to);
  const tenant = await requireTenant(options.tenant, "--tenant");
  const printer = options.json ? undefined : progressPrinter();
  const report = await moveTenant(operator(), tenant, to, printer?.onProgress);
  printer?.finish();
  if (options.json) return json({ slug: tenant.slug, ...report });
  const where = to === "postgres" ? "PostgreSQL (TENANT_POSTGRES_URL)" : "its SQLite file";
  return `Moved workspace "${tenant.slug}" to ${where}: ${report.rows} rows in ${report.tables.length} tables, each table's count and SHA-256 equal on both sides, in ${(report.durationMs / 1000).toFixed(1)} s. It was in maintenance during the move; its previous maintenance state is back.`;
}

/** `sigil tenants move --tenant <slug> --to postgres|sqlite` (services/tenant-move.ts). */
export function registerTenantMoveCommand(tenants: Command, output: Output): void {
  tenants
    .command("move")
    .description("move one workspace's own tables between its SQLite file and PostgreSQL (TENANT_POSTGRES_URL), in maintenance, checked before the switch")
    .option("--tenant <slug>", "the workspace to move")
    .option("--to <engine>", `where to: ${DESTINATIONS.join(" or ")}`)
    .option("--json", "print the result as JSON")
    .action(async (options: MoveOptions) => output.print(await move(options)));
}
