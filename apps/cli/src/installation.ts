import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { HybridDatabaseManager, InvalidSettingError, storageSettings } from "@sigil/db";
import { CliError, usageError } from "./errors.ts";

/** Where `pnpm start` keeps its data when DATA_DIR is not set (README: Data directory). */
const DEFAULT_DATA_DIR = resolve(import.meta.dirname, "../../web/data");

/**
 * The installation the CLI works on: DATA_DIR (relative to where the command was typed; pnpm runs
 * scripts from the root and says where in INIT_CWD), else the web app's default. It must exist:
 * the CLI never creates an installation by looking at one.
 */
export function openInstallation(env: NodeJS.ProcessEnv = process.env): HybridDatabaseManager {
  const typedIn = env.INIT_CWD ?? process.cwd();
  const dataDir = env.DATA_DIR ? resolve(typedIn, env.DATA_DIR) : DEFAULT_DATA_DIR;
  process.env.DATA_DIR = dataDir;
  try {
    storageSettings();
  } catch (error) {
    if (error instanceof InvalidSettingError) throw usageError(error.message);
    throw error;
  }
  if (!existsSync(join(dataDir, "shared.sqlite"))) {
    throw new CliError(`No Sigil installation in ${dataDir} (no shared.sqlite). Set DATA_DIR, or start the server once (pnpm start).`);
  }
  return HybridDatabaseManager.getInstance();
}
