/**
 * `pnpm --filter @sigil/api admin:bootstrap`: creates the system administrator named by
 * SIGIL_ADMIN_EMAIL / SIGIL_ADMIN_PASSWORD (optional SIGIL_ADMIN_NAME) unless it exists.
 * DATA_DIR defaults to the web app's data directory, like the @sigil/db scripts.
 * Exits 2 when the settings are missing or invalid (with `--optional`, missing settings exit 0).
 */
import "./default-data-dir.ts";
import { HybridDatabaseManager, InvalidSettingError } from "@sigil/db";
import { readServerSettings } from "../src/server-settings.ts";
import { AdminBootstrapError, ensureSystemAdmin } from "../src/services/bootstrap-admin.ts";

let adminEmail: string | undefined;
try {
  adminEmail = readServerSettings(process.env).admin.email;
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (!adminEmail) {
  // `--optional` (used by `pnpm start`): nothing configured is not an error.
  if (process.argv.includes("--optional")) process.exit(0);
  console.error("Set SIGIL_ADMIN_EMAIL and SIGIL_ADMIN_PASSWORD (at least 10 characters) to create the system administrator.");
  process.exit(2);
}
const manager = HybridDatabaseManager.getInstance();
try {
  const result = await ensureSystemAdmin(process.env);
  if (result.status === "created") console.log(`System administrator created: ${result.admin.email} (data directory ${manager.options.dataDir}).`);
  else if (result.status === "exists") console.log(`System administrator ${result.admin.email} already exists; nothing changed.`);
} catch (error) {
  if (!(error instanceof AdminBootstrapError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
} finally {
  manager.close();
}
