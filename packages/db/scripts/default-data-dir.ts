import { resolve } from "node:path";
import { InvalidSettingError } from "../src/errors.ts";
import { storageSettings } from "../src/settings.ts";

// The scripts run with packages/db as cwd; the installation's data lives with the web app
// (README: Data directory). An explicit DATA_DIR wins.
if (!process.env.DATA_DIR) process.env.DATA_DIR = resolve(import.meta.dirname, "../../../apps/web/data");

// Every script reads the validated settings once, here: an invalid variable stops it with its name.
try {
  storageSettings();
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  console.error(error.message);
  process.exit(2);
}
