import { listTenantsInput, TENANT_PLANS, TENANT_SORT_KEYS, TENANT_STATUSES } from "@sigil/validators";
import type { Command } from "commander";
import type { AdminBackend, TenantWithUsage } from "../admin-backend.ts";
import type { Output } from "../program.ts";
import { adminBackendFor } from "../target.ts";
import { schemaUsageError, wholeNumberOption } from "../options.ts";
import { bytes, json, table, when } from "../output.ts";
import { registerTenantChangeCommands } from "./tenant-changes.ts";
import { registerTenantMoveCommand } from "./move.ts";

interface ListOptions {
  status?: string;
  plan?: string;
  search?: string;
  sort: string;
  desc?: boolean;
  page: string;
  pageSize: string;
  json?: boolean;
}

/** The options checked by the API's own schema, so the CLI accepts exactly what the dashboard does. */
function listInput(options: ListOptions) {
  const parsed = listTenantsInput.safeParse({
    page: wholeNumberOption("--page", options.page),
    pageSize: wholeNumberOption("--page-size", options.pageSize),
    sort: options.sort,
    direction: options.desc ? "desc" : "asc",
    search: options.search,
    status: options.status,
    plan: options.plan,
  });
  if (!parsed.success)
    throw schemaUsageError(parsed.error, { pageSize: "--page-size", sort: "--sort", status: "--status", plan: "--plan", search: "--search", page: "--page" });
  return parsed.data;
}

function schemaText(schema: TenantWithUsage["usage"]["schema"]): string {
  if (schema.version === null) return "unknown";
  return `v${schema.version}${schema.state === "behind" ? ` (behind v${schema.latest})` : ""}`;
}

async function list(backend: AdminBackend, options: ListOptions): Promise<string> {
  const page = await backend.listTenants(listInput(options));
  if (options.json) return json(page);
  if (page.total === 0) return "No tenants match.";
  const rows = page.tenants.map(({ slug, name, status, plan, usage }) => [
    slug,
    name,
    status,
    plan,
    usage.users,
    usage.promptCount,
    usage.executionsThisMonth,
    bytes(usage.storageBytes),
    schemaText(usage.schema),
    when(usage.lastActivityAt),
  ]);
  const header = ["SLUG", "NAME", "STATUS", "PLAN", "USERS", "PROMPTS", "RUNS/MONTH", "STORAGE", "SCHEMA", "LAST ACTIVITY (UTC)"];
  return `${table(header, rows)}\n\nPage ${page.page} of ${page.totalPages} (${page.total} tenant${page.total === 1 ? "" : "s"}).`;
}

async function show(backend: AdminBackend, slug: string, options: { json?: boolean }): Promise<string> {
  const tenant = await backend.requireTenant(slug);
  if (options.json) return json(tenant);
  const { usage, settings } = tenant;
  return table(
    ["FIELD", "VALUE"],
    [
      ["slug", tenant.slug],
      ["name", tenant.name],
      ["id", tenant.id],
      ["status", tenant.status],
      ["plan", tenant.plan],
      ["custom domain", settings.domain ?? null],
      ["created (UTC)", when(tenant.created_at)],
      ["users", `${usage.users} of ${settings.limits.users}`],
      ["files", `${usage.fileCount} (${bytes(usage.storageBytes)} of ${settings.limits.storage} MB)`],
      ["executions this month", `${usage.executionsThisMonth} of ${settings.limits.executions_per_month}`],
      ["token budget", settings.limits.tokens_per_month == null ? "none" : `${settings.limits.tokens_per_month} tokens a month`],
      ["prompts", usage.promptCount],
      ["lives in", tenant.placement === "postgres" ? "PostgreSQL (TENANT_POSTGRES_URL)" : "its own database (DATA_DIR or DATABASE_URL)"],
      ["database size", `${bytes(usage.databaseBytes)} (measured ${when(usage.databaseMeasuredAt) ?? "never"})`],
      ["schema", usage.schema.version === null ? `unknown (latest v${usage.schema.latest})` : `v${usage.schema.version} (latest v${usage.schema.latest})`],
      ["last activity (UTC)", when(usage.lastActivityAt)],
      ...(usage.unavailable ? [["note", usage.unavailable]] : []),
    ],
  );
}

export function registerTenantCommands(program: Command, output: Output): void {
  const tenants = program.command("tenants").description("the workspaces of this installation");
  tenants
    .command("list")
    .description("one page of tenants with their usage, from the control plane (no tenant file is opened)")
    .option("--status <status>", `only tenants with this status: ${TENANT_STATUSES.join(", ")}`)
    .option("--plan <plan>", `only tenants on this plan: ${TENANT_PLANS.join(", ")}`)
    .option("--search <text>", "part of the name, slug or custom domain")
    .option("--sort <key>", `sort by ${TENANT_SORT_KEYS.join(", ")}`, "name")
    .option("--desc", "sort in descending order")
    .option("--page <n>", "page number", "1")
    .option("--page-size <n>", "tenants per page (at most 100)", "25")
    .option("--json", "print JSON")
    .action(async (options: ListOptions, command: Command) => output.print(await list(adminBackendFor(command), options)));
  tenants
    .command("show")
    .description("one tenant: registry row, limits and usage")
    .argument("<slug>", "the workspace's slug")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { json?: boolean }, command: Command) => output.print(await show(adminBackendFor(command), slug, options)));
  registerTenantChangeCommands(tenants, output);
  registerTenantMoveCommand(tenants, output);
}
