import { listUsersWithLocks, resetUserPassword, toPublicUser, unlockUser } from "@sigil/api";
import { USER_ROLES, USER_STATUSES } from "@sigil/validators";
import type { Command } from "commander";
import { requireTenant } from "../installation.ts";
import { choiceOption } from "../options.ts";
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

async function list(options: ListOptions): Promise<string> {
  const status = choiceOption("--status", USER_STATUSES, options.status);
  const role = choiceOption("--role", USER_ROLES, options.role);
  const tenant = await requireTenant(options.tenant, "--tenant");
  const users = (await listUsersWithLocks(tenant)).filter(({ user }) => (!status || user.status === status) && (!role || user.role === role));
  if (options.json) {
    return json(users.map(({ user, lockedUntil }) => ({ ...toPublicUser(user), lockedUntil })));
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
      const { user, wasLocked } = await unlockUser(operator(), await requireTenant(options.tenant, "--tenant"), email);
      output.print(wasLocked ? `Unlocked ${user.email}: they can sign in again.` : `${user.email} was not locked; the failure count is cleared.`);
    });
  users
    .command("reset-password")
    .description("set a user's password (read from stdin); ends their sessions and lifts a lock")
    .argument("<email>")
    .requiredOption("--tenant <slug>", "the workspace")
    .requiredOption("--password-stdin", "read the new password (10+ characters) from the first line of stdin")
    .action(async (email: string, options: { tenant: string }) => {
      const tenant = await requireTenant(options.tenant, "--tenant");
      const user = await resetUserPassword(operator(), tenant, email, await readSecretLine("new password"));
      output.print(`Set a new password for ${user.email} in "${tenant.slug}"; their sessions are ended.`);
    });
}
