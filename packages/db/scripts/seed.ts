/**
 * `pnpm db:seed`: the demo installation. Creates the tenants `acme` and `globex` with an owner
 * each and some content, and a system administrator, unless they already exist (idempotent).
 * Logins are printed; the README lists them too.
 */
import "./default-data-dir.ts";
import { seedDemo } from "../src/seed/demo.ts";
import { HybridDatabaseManager } from "../src/index.ts";

const manager = HybridDatabaseManager.getInstance();
manager.runSharedMigrations();
const summary = await seedDemo();
for (const line of summary) console.log(line);
manager.close();
