/**
 * `pnpm db:seed`: the demo installation. Creates the tenants `acme` and `globex` with an owner
 * each and some content, and a system administrator, unless they already exist (idempotent).
 * An explicit command: it seeds whatever SIGIL_DEMO says (`pnpm start` applies the start rules,
 * see src/seed/demo.ts). The public logins are printed; the README lists them too.
 */
import "./default-data-dir.ts";
import { demoLoginsInUse, seedDemo } from "../src/seed/demo.ts";
import { HybridDatabaseManager, InvalidSettingError, readDemoSettings } from "../src/index.ts";

let adminFromEnvironment: boolean;
try {
  adminFromEnvironment = readDemoSettings(process.env).adminFromEnvironment;
} catch (error) {
  if (!(error instanceof InvalidSettingError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const manager = HybridDatabaseManager.getInstance();
await manager.runSharedMigrations();
for (const line of await seedDemo({ adminFromEnvironment })) console.log(line);
const logins = await demoLoginsInUse();
if (logins.length > 0) console.warn(`Warning: demo accounts with PUBLIC passwords: ${logins.join(", ")}.`);
manager.close();
