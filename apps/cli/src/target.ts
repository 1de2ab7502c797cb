import { createSigilClient, resolveBaseUrl } from "@sigil/client";
import type { Command } from "commander";
import { localBackend, remoteBackend, type AdminBackend } from "./admin-backend.ts";
import { usageError } from "./errors.ts";

/** The global options that choose the installation: none (local, DATA_DIR) or a server's URL and key. */
export interface TargetOptions {
  url?: string;
  key?: string;
}

/**
 * The commands that also work against a running server: those the API offers to a system
 * administrator. The others read or write the files themselves (migrate, doctor, backups…) and
 * run on the machine that holds DATA_DIR.
 */
export const REMOTE_COMMANDS: ReadonlySet<string> = new Set([
  "tenants list",
  "tenants show",
  "tenants create",
  "tenants suspend",
  "tenants reactivate",
  "tenants delete",
  "maintenance on",
  "maintenance off",
  "maintenance status",
  "status",
]);

/** `tenants list` for the `list` command under `tenants`: the name REMOTE_COMMANDS uses. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current?.parent; current = current.parent) names.unshift(current.name());
  return names.join(" ");
}

/** Refuses a remote invocation of a command that works only on the files (commander preAction hook). */
export function assertTargetFits(command: Command): void {
  const { url, key } = command.optsWithGlobals<TargetOptions>();
  if (url === undefined && key === undefined) return;
  const path = commandPath(command);
  if (!REMOTE_COMMANDS.has(path)) {
    throw usageError(
      `sigil ${path} works on the files of DATA_DIR only: run it on the server's machine without --url. With --url: ${[...REMOTE_COMMANDS].join(", ")}.`,
    );
  }
}

/** The administration backend the command line asked for: local files, or the API with --url and --key. */
export function adminBackendFor(command: Command, env: NodeJS.ProcessEnv = process.env): AdminBackend {
  const { url, key: keyOption } = command.optsWithGlobals<TargetOptions>();
  const key = keyOption ?? env.SIGIL_ADMIN_KEY;
  if (url === undefined) {
    if (keyOption !== undefined) throw usageError("--key needs --url: the server the key is for.");
    return localBackend();
  }
  if (key === undefined || key === "") throw usageError("--url needs a system administrator's API key: --key sgla_… or SIGIL_ADMIN_KEY.");
  if (!key.startsWith("sgla_")) {
    throw usageError(
      "The key must be a system administrator's API key (sgla_…, created on the admin dashboard's API keys page); a workspace key (sgl_…) cannot administer.",
    );
  }
  let adminUrl: URL;
  try {
    adminUrl = resolveBaseUrl({ url, admin: true });
  } catch (error) {
    throw usageError(`--url: ${error instanceof Error ? error.message.replace(/^createSigilClient: /, "") : String(error)}`);
  }
  return remoteBackend(createSigilClient({ url: adminUrl.href, apiKey: key, admin: true }), adminUrl);
}
