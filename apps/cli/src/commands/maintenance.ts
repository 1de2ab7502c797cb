import { describeMaintenance } from "@sigil/api";
import { parseDuration, setTenantMaintenanceInput } from "@sigil/validators";
import type { Command } from "commander";
import type { AdminBackend, TenantDocument } from "../admin-backend.ts";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { schemaUsageError } from "../options.ts";
import { json } from "../output.ts";
import { adminBackendFor } from "../target.ts";

interface OnOptions {
  tenant: string;
  reason: string;
  until?: string;
  for?: string;
  json?: boolean;
}

/** The expected end from --until (an ISO 8601 time) or --for (a duration from now); null: none given. */
function expectedEnd(options: OnOptions, now: Date): Date | null {
  if (options.until !== undefined && options.for !== undefined) throw usageError("Give either --until or --for, not both.");
  if (options.for !== undefined) {
    const ms = parseDuration(options.for);
    if (ms === null) throw usageError(`--for must be a whole number followed by s, m, h or d (e.g. 30m, 6h); got "${options.for}".`);
    return new Date(now.getTime() + ms);
  }
  if (options.until === undefined) return null;
  const until = new Date(options.until);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(options.until) || Number.isNaN(until.getTime())) {
    throw usageError(`--until must be an ISO 8601 time such as 2026-12-24T18:00:00Z; got "${options.until}".`);
  }
  return until;
}

function describe(tenant: TenantDocument): string {
  const { maintenance } = tenant;
  if (maintenance === null) return `Workspace "${tenant.slug}" is not in maintenance: it serves reads and writes.`;
  return `${describeMaintenance(tenant.slug, maintenance)}\nSince ${maintenance.since.toISOString()}, set by ${maintenance.by}.`;
}

function document(tenant: TenantDocument) {
  return { slug: tenant.slug, maintenance: tenant.maintenance };
}

async function turnOn(backend: AdminBackend, options: OnOptions): Promise<string> {
  const until = expectedEnd(options, new Date());
  const before = await backend.requireTenant(options.tenant);
  const parsed = setTenantMaintenanceInput.safeParse({ id: before.id, reason: options.reason, until });
  if (!parsed.success) throw schemaUsageError(parsed.error, { reason: "--reason", until: "--until" });
  const after = await backend.enterMaintenance(before.id, { reason: parsed.data.reason, until: parsed.data.until ?? null });
  return options.json ? json(document(after)) : describe(after);
}

async function turnOff(backend: AdminBackend, options: { tenant: string; json?: boolean }): Promise<string> {
  const before = await backend.requireTenant(options.tenant);
  const after = await backend.leaveMaintenance(before.id);
  if (options.json) return json(document(after));
  return before.maintenance === null
    ? `Workspace "${after.slug}" was not in maintenance.`
    : `Workspace "${after.slug}" is out of maintenance: writes are accepted again.`;
}

async function status(backend: AdminBackend, options: { tenant: string; json?: boolean }): Promise<string> {
  const tenant = await backend.requireTenant(options.tenant);
  return options.json ? json(document(tenant)) : describe(tenant);
}

/** `sigil maintenance on|off|status --tenant <slug>`: one workspace's maintenance mode (services/tenant-maintenance.ts). */
export function registerMaintenanceCommands(sigil: Command, output: Output): void {
  const maintenance = sigil
    .command("maintenance")
    .description("A workspace's maintenance mode: writes refused with 503 naming the reason and expected end, reads served, executions kept queued.");
  maintenance
    .command("on")
    .description("Put a workspace in maintenance (or change its reason and expected end).")
    .requiredOption("--tenant <slug>", "the workspace")
    .requiredOption("--reason <text>", "why; its users see this with every refused change")
    .option("--until <iso-time>", "the expected end, e.g. 2026-12-24T18:00:00Z")
    .option("--for <duration>", "the expected end as a duration from now: 30m, 2h, 1d")
    .option("--json", "print the result as JSON")
    .action(async (options: OnOptions, command: Command) => output.print(await turnOn(adminBackendFor(command), options)));
  maintenance
    .command("off")
    .description("End a workspace's maintenance: writes are accepted again and its queued executions run.")
    .requiredOption("--tenant <slug>", "the workspace")
    .option("--json", "print the result as JSON")
    .action(async (options: { tenant: string; json?: boolean }, command: Command) => output.print(await turnOff(adminBackendFor(command), options)));
  maintenance
    .command("status")
    .description("Whether a workspace is in maintenance, why, since when and until when.")
    .requiredOption("--tenant <slug>", "the workspace")
    .option("--json", "print the result as JSON")
    .action(async (options: { tenant: string; json?: boolean }, command: Command) => output.print(await status(adminBackendFor(command), options)));
}
