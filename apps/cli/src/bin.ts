import { HybridDatabaseManager } from "@sigil/db";
import { runCli } from "./program.ts";

const code = await runCli(process.argv.slice(2));
HybridDatabaseManager.closeInstance();
process.exit(code);
