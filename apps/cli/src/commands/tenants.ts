import { listTenantsWithUsage, tenantUsageOf, type TenantRow, type TenantUsageSnapshot } from "@sigil/db";
import { listTenantsInput, TENANT_PLANS, TENANT_SORT_KEYS, TENANT_STATUSES } from "@sigil/validators";
import type { Command } from "commander";
import type { Output } from "../program.ts";
import { CliError } from "../errors.ts";
import { openInstallation, requireTenant } from "../installation.ts";
import { schemaUsageError, wholeNumberOption } from "../options.ts";
import { bytes, json, table, when } from "../output.ts";
import { registerTenantChangeCommands } from "./tenant-changes.ts";

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

/** A tenant as `--json` prints it: the registry row and its usage from the control plane. */
function document(tenant: TenantRow, usage: TenantUsageSnapshot) {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    plan: tenant.plan,
    domain: tenant.domain,
    limits: { users: tenant.limitUsers, storageMb: tenant.limitStorageMb, executionsPerMonth: tenant.limitExecutionsPerMonth },
    createdAt: tenant.createdAt,
    usage,
  };
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

function list(options: ListOptions): string {
  const input = listInput(options);
  openInstallation();
  const page = listTenantsWithUsage(input);
  if (options.json) return json({ ...page, tenants: page.tenants.map(({ tenant, usage }) => document(tenant, usage)) });
  if (page.total === 0) return "No tenants match.";
  const rows = page.tenants.map(({ tenant, usage }) => [
    tenant.slug,
    tenant.name,
    tenant.status,
    tenant.plan,
    usage.users,
    usage.promptCount,
    usage.executionsThisMonth,
    bytes(usage.storageBytes),
    usage.schema.version === null ? "unknown" : `v${usage.schema.version}${usage.schema.state === "behind" ? ` (behind v${usage.schema.latest})` : ""}`,
    when(usage.lastActivityAt),
  ]);
  const header = ["SLUG", "NAME", "STATUS", "PLAN", "USERS", "PROMPTS", "RUNS/MONTH", "STORAGE", "SCHEMA", "LAST ACTIVITY (UTC)"];
  return `${table(header, rows)}\n\nPage ${page.page} of ${page.totalPages} (${page.total} tenant${page.total === 1 ? "" : "s"}).`;
}

async function show(slug: string, options: { json?: boolean }): Promise<string> {
  const tenant = await requireTenant(slug);
  const usage = tenantUsageOf(tenant.id);
  if (!usage) throw new CliError(`No workspace "${slug}" exists.`);
  const doc = document(tenant, usage);
  if (options.json) return json(doc);
  return table(
    ["FIELD", "VALUE"],
    [
      ["slug", doc.slug],
      ["name", doc.name],
      ["id", doc.id],
      ["status", doc.status],
      ["plan", doc.plan],
      ["custom domain", doc.domain],
      ["created (UTC)", when(doc.createdAt)],
      ["users", `${usage.users} of ${doc.limits.users}`],
      ["files", `${usage.fileCount} (${bytes(usage.storageBytes)} of ${doc.limits.storageMb} MB)`],
      ["executions this month", `${usage.executionsThisMonth} of ${doc.limits.executionsPerMonth}`],
      ["prompts", usage.promptCount],
      ["database file", `${bytes(usage.databaseBytes)} (measured ${when(usage.databaseMeasuredAt) ?? "never"})`],
      ["schema", usage.schema.version === null ? `unknown (latest v${usage.schema.latest})` : `v${usage.schema.version} (latest v${usage.schema.latest})`],
      ["last activity (UTC)", when(usage.lastActivityAt)],
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
    .action((options: ListOptions) => output.print(list(options)));
  tenants
    .command("show")
    .description("one tenant: registry row, limits and usage")
    .argument("<slug>", "the workspace's slug")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { json?: boolean }) => output.print(await show(slug, options)));
  registerTenantChangeCommands(tenants, output);
}
