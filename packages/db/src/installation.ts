import { existsSync } from "node:fs";
import { sharedDatabasePath } from "./identifiers.ts";
import { storageSettings, type StorageSettings } from "./settings.ts";

/**
 * Why there is no Sigil installation where the settings point, or undefined when there is one as
 * far as can be told without opening it: with SQLite, shared.sqlite must exist in the data
 * directory (opening the manager would create an empty one); a PostgreSQL database cannot be
 * created by a look, and its first statement says what is wrong with it.
 */
export function missingInstallation(settings: StorageSettings = storageSettings()): string | undefined {
  if (settings.database.engine === "postgres") return undefined;
  if (existsSync(sharedDatabasePath(settings.dataDir))) return undefined;
  return `No Sigil installation in ${settings.dataDir} (no shared.sqlite).`;
}
