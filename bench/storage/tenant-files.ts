import { copyFileSync, rmSync } from "node:fs";
import { sqliteCompanionFiles, type HybridDatabaseManager } from "@sigil/db";
import { progress } from "../lib/progress.ts";

/** Puts tenant files back to the template's schema version (undoing a benchmark's migration). */
export function resetTenantFiles(manager: HybridDatabaseManager, templateFile: string, ids: readonly string[]): void {
  const resetting = progress(`resetting ${ids.length.toLocaleString("en-US")} tenant files to the old version`, ids.length);
  ids.forEach((id, index) => {
    const [file, ...companions] = sqliteCompanionFiles(manager.tenantDatabasePath(id));
    // A stale -wal beside a replaced file would be replayed into it: remove the companions first.
    for (const companion of companions) rmSync(companion, { force: true });
    if (file) copyFileSync(templateFile, file);
    if (index % 250 === 0) resetting.tick(index);
  });
  resetting.finish();
}
