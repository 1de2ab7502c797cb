import { resolve } from "node:path";
import { HybridDatabaseManager, InvalidSettingError, isValidSlug, missingInstallation, storageSettings, tenantModel, type TenantRow } from "@sigil/db";
import { CliError, usageError } from "./errors.ts";

/** Where `pnpm start` keeps its data when DATA_DIR is not set (README: Data directory). */
const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "../../web/data");

/**
 * The installation the CLI works on: DATA_DIR (relative to where the command was typed; pnpm runs
 * scripts from the root and says where in INIT_CWD), else the web app's default. It must exist:
 * the CLI never creates an installation by looking at one.
 */
export function openInstallation(env: NodeJS.ProcessEnv = process.env): HybridDatabaseManager {
  // Checked once per command: later calls (a lookup per --tenant) reuse the answer.
  opened ??= checkedInstallation(env);
  return opened;
}

let opened: HybridDatabaseManager | undefined;

/** A path as the operator typed it: relative to where the command was typed (pnpm runs scripts from the root and says where in INIT_CWD). */
export function typedPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.INIT_CWD ?? process.cwd(), path);
}

function checkedInstallation(env: NodeJS.ProcessEnv): HybridDatabaseManager {
  const dataDir = env.DATA_DIR ? typedPath(env.DATA_DIR, env) : DEFAULT_DATA_DIR;
  process.env.DATA_DIR = dataDir;
  let missing: string | undefined;
  try {
    missing = missingInstallation(storageSettings());
  } catch (error) {
    if (error instanceof InvalidSettingError) throw usageError(error.message);
    throw error;
  }
  if (missing !== undefined) throw new CliError(`${missing} Set DATA_DIR, or start the server once (pnpm start).`);
  return HybridDatabaseManager.getInstance();
}

/**
 * A workspace of the installation by slug, or null. A string that cannot be a slug is a usage
 * error (named after `flag` when the slug came from one); the installation is opened first.
 */
export async function findTenant(slug: string, flag?: string): Promise<TenantRow | null> {
  const candidate: unknown = slug;
  if (!isValidSlug(candidate)) throw usageError(`${flag ? `${flag}: ` : ""}"${slug}" is not a workspace slug (lower-case letters, digits and dashes).`);
  openInstallation();
  return tenantModel.findBySlug(slug);
}

/** findTenant, where a missing workspace fails the command (exit code 1). */
export async function requireTenant(slug: string, flag?: string): Promise<TenantRow> {
  const tenant = await findTenant(slug, flag);
  if (!tenant) throw new CliError(`No workspace "${slug}" exists.`);
  return tenant;
}
