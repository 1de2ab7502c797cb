import { listUsersWithLocks, resetUserPassword, unlockUser } from "@sigil/api";
import { isValidSlug, tenantModel, type TenantRow } from "@sigil/db";
import { USER_ROLES, USER_STATUSES } from "@sigil/validators";
import type { Command } from "commander";
import { CliError, usageError } from "../errors.ts";
import { openInstallation } from "../installation.ts";
import { operator } from "../operator.ts";
import { json, table, when } from "../output.ts";
import type { Output } from "../program.ts";
import { readSecretLine } from "../stdin.ts";

interface ListOptions {
  tenant: string;
  status?: string;
  role?: string;
  json?: boolean;
}

async function tenantOf(slug: string): Promise<TenantRow> {
  const candidate: unknown = slug;
  if (!isValidSlug(candidate)) throw usageError(`--tenant: "${slug}" is not a workspace slug.`);
  openInstallation();
  const tenant = await tenantModel.findBySlug(slug);
  if (!tenant) throw new CliError(`No workspace "${slug}" exists.`);
  return tenant;
}

function oneOf<T extends string>(flag: string, allowed: readonly T[], value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((known) => known === value);
  if (!found) throw usageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}".`);
  return found;
}

async function list(options: ListOptions): Promise<string> {
  const status = oneOf("--status", USER_STATUSES, options.status);
  const role = oneOf("--role", USER_ROLES, options.role);
  const tenant = await tenantOf(options.tenant);
  const users = (await listUsersWithLocks(tenant)).filter(({ user }) => (!status || user.status === status) && (!role || user.role === role));
  if (options.json) {
    return json(
      users.map(({ user, lockedUntil }) => ({
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        status: user.status,
        lastLoginAt: user.lastLoginAt,
        lockedUntil,
        createdAt: user.createdAt,
      })),
    );
  }
  if (users.length === 0) return `No users in "${tenant.slug}" match.`;
  return table(
    ["EMAIL", "NAME", "ROLE", "STATUS", "LAST SIGN-IN (UTC)", "LOCKED UNTIL (UTC)"],
    users.map(({ user, lockedUntil }) => [user.email, user.name, user.role, user.status, when(user.lastLoginAt), when(lockedUntil)]),
  );
}

export function registerUserCommands(program: Command, output: Output): void {
  const users = program.command("users").description("the users of one workspace");
  users
    .command("list")
    .description("a workspace's users with their role, status and sign-in lock")
    .requiredOption("--tenant <slug>", "the workspace")
    .option("--status <status>", `only users with this status: ${USER_STATUSES.join(", ")}`)
    .option("--role <role>", `only users with this role: ${USER_ROLES.join(", ")}`)
    .option("--json", "print JSON")
    .action(async (options: ListOptions) => output.print(await list(options)));
  users
    .command("unlock")
    .description("lift a user's sign-in lock after repeated failures")
    .argument("<email>")
    .requiredOption("--tenant <slug>", "the workspace")
    .action(async (email: string, options: { tenant: string }) => {
      const { user, wasLocked } = await unlockUser(operator(), await tenantOf(options.tenant), email);
      output.print(wasLocked ? `Unlocked ${user.email}: they can sign in again.` : `${user.email} was not locked; the failure count is cleared.`);
    });
  users
    .command("reset-password")
    .description("set a user's password (read from stdin); ends their sessions and lifts a lock")
    .argument("<email>")
    .requiredOption("--tenant <slug>", "the workspace")
    .requiredOption("--password-stdin", "read the new password (10+ characters) from the first line of stdin")
    .action(async (email: string, options: { tenant: string }) => {
      const tenant = await tenantOf(options.tenant);
      const user = await resetUserPassword(operator(), tenant, email, await readSecretLine("new password"));
      output.print(`Set a new password for ${user.email} in "${tenant.slug}"; their sessions are ended.`);
    });
}
