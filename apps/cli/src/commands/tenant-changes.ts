import { createTenantInput, PLAN_DEFAULT_LIMITS, TENANT_FEATURES, TENANT_PLANS, type CreateTenantInput } from "@sigil/validators";
import type { Command } from "commander";
import type { AdminBackend } from "../admin-backend.ts";
import type { Output } from "../program.ts";
import { usageError } from "../errors.ts";
import { schemaUsageError } from "../options.ts";
import { adminBackendFor } from "../target.ts";
import { json } from "../output.ts";
import { readSecretLine } from "../stdin.ts";

interface CreateOptions {
  name: string;
  ownerEmail: string;
  ownerName?: string;
  plan: string;
  domain?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

/** The create input, checked by the API's own schema: the CLI accepts exactly what the dashboard does (and, like it, gives a new workspace every feature). */
function createInput(slug: string, options: CreateOptions, password: string | undefined): CreateTenantInput {
  const plan = TENANT_PLANS.find((known) => known === options.plan);
  const parsed = createTenantInput.safeParse({
    name: options.name,
    slug,
    plan: options.plan,
    settings: {
      ...(options.domain === undefined ? {} : { domain: options.domain }),
      features: [...TENANT_FEATURES],
      limits: plan ? PLAN_DEFAULT_LIMITS[plan] : undefined,
    },
    owner: { email: options.ownerEmail, name: options.ownerName ?? options.ownerEmail.split("@")[0] ?? options.ownerEmail, password },
  });
  if (!parsed.success) throw schemaUsageError(parsed.error, { name: "--name", plan: "--plan", settings: "--domain" });
  return parsed.data;
}

async function create(backend: AdminBackend, slug: string, options: CreateOptions): Promise<string> {
  const password = options.passwordStdin ? await readSecretLine("owner password") : undefined;
  const created = await backend.createTenant(createInput(slug, options, password));
  if (options.json) return json(created);
  const lines = [`Created workspace "${created.tenant.slug}" (${created.tenant.name}, plan ${created.tenant.plan}).`];
  if (created.invitation) {
    lines.push(
      `Its owner ${created.owner.email} is invited; the invitation (valid until ${created.invitation.expiresAt.toISOString()}) is shown once:`,
      `  ${backend.tenantUrl(created.tenant.slug)}/invite/${created.invitation.token}${backend.knowsPort ? "" : "  (add the server's port)"}`,
    );
  } else {
    lines.push(`Its owner ${created.owner.email} can sign in at ${backend.tenantUrl(created.tenant.slug)}.`);
  }
  return lines.join("\n");
}

async function setStatus(backend: AdminBackend, slug: string, to: "suspended" | "active", options: { json?: boolean }): Promise<string> {
  const before = await backend.requireTenant(slug);
  const after = to === "suspended" ? await backend.suspendTenant(before.id) : await backend.reactivateTenant(before.id);
  if (options.json) return json({ slug: after.slug, previousStatus: before.status, status: after.status });
  return before.status === after.status ? `Workspace "${slug}" was already ${after.status}.` : `Workspace "${slug}": ${before.status} → ${after.status}.`;
}

async function remove(backend: AdminBackend, slug: string, options: { confirm?: string; json?: boolean }): Promise<string> {
  if (options.confirm === undefined) throw usageError(`Deleting "${slug}" removes its data for good: confirm with --confirm ${slug}.`);
  const tenant = await backend.requireTenant(slug);
  if (options.confirm !== tenant.slug)
    throw usageError(`To delete this workspace, confirm with its slug "${tenant.slug}"; "${options.confirm}" does not match.`);
  const deletion = await backend.deleteTenant(tenant.id, options.confirm);
  if (options.json) return json(deletion);
  return `Deleted workspace "${slug}" and its data.`;
}

export function registerTenantChangeCommands(tenants: Command, output: Output): void {
  tenants
    .command("create")
    .description("provision a workspace and its owner (an admin): active with --password-stdin, else invited")
    .argument("<slug>", "the workspace's slug: its host is <slug>.<ROOT_DOMAIN>")
    .requiredOption("--name <name>", "the workspace's display name")
    .requiredOption("--owner-email <email>", "the owner's email")
    .option("--owner-name <name>", "the owner's name (default: the email's local part)")
    .option("--plan <plan>", `${TENANT_PLANS.join(", ")}; sets the plan's default limits`, "free")
    .option("--domain <domain>", "a custom domain the workspace also answers on")
    .option("--password-stdin", "read the owner's password (10+ characters) from the first line of stdin")
    .option("--json", "print JSON")
    .action(async (slug: string, options: CreateOptions, command: Command) => output.print(await create(adminBackendFor(command), slug, options)));
  tenants
    .command("suspend")
    .description("refuse the workspace's requests (403 naming the status) until it is reactivated")
    .argument("<slug>")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { json?: boolean }, command: Command) =>
      output.print(await setStatus(adminBackendFor(command), slug, "suspended", options)),
    );
  tenants
    .command("reactivate")
    .description("serve a suspended or inactive workspace again")
    .argument("<slug>")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { json?: boolean }, command: Command) =>
      output.print(await setStatus(adminBackendFor(command), slug, "active", options)),
    );
  tenants
    .command("delete")
    .description("delete a workspace and its file for good (the admin audit log keeps the record)")
    .argument("<slug>")
    .option("--confirm <slug>", "the workspace's slug again, to confirm")
    .option("--json", "print JSON")
    .action(async (slug: string, options: { confirm?: string; json?: boolean }, command: Command) =>
      output.print(await remove(adminBackendFor(command), slug, options)),
    );
}
