/**
 * `pnpm db:repair [--tenant <slug>]… [--quiet]` (`pnpm --filter @sigil/db usage:repair`):
 * recomputes every tenant's control-plane rows (shared.sqlite `tenant_usage` and `tenant_work`,
 * and the file's own `tenant_stats`) from the rows of its file, printing what differed. Safe
 * while the server and the worker run (docs/architecture.md, The control-plane mirror). Exits 1
 * if a tenant could not be repaired.
 */
import "./default-data-dir.ts";
import { parseArgs } from "node:util";
import { HybridDatabaseManager, repairAllTenants, type TenantRepairResult } from "../src/index.ts";
import { tenantIdsFromSlugs } from "./tenant-arguments.ts";

const { values } = parseArgs({
  options: {
    tenant: { type: "string", multiple: true },
    quiet: { type: "boolean", default: false },
  },
});

const manager = HybridDatabaseManager.getInstance();
console.log(`Data directory: ${manager.options.dataDir}`);

const tenantIds = await tenantIdsFromSlugs(values.tenant);

function describe(result: TenantRepairResult): string {
  if (result.state === "skipped") return `NOT REPAIRED: ${result.error ?? "unknown error"}`;
  if (result.state === "consistent") return "consistent";
  return `repaired ${result.differences.map((d) => `${d.table}.${d.field} ${String(d.before)} → ${String(d.after)}`).join(", ")}`;
}

const report = await repairAllTenants({
  tenantIds,
  onProgress: ({ done, total, result }) => {
    if (values.quiet && result.state === "consistent") return;
    console.log(`[${done}/${total}] ${result.slug} ${describe(result)}`);
  },
});
console.log(
  `Tenants: ${report.total} (consistent ${report.consistent}, repaired ${report.repaired}, not repaired ${report.failed}) in ${(report.durationMs / 1000).toFixed(2)} s.`,
);
manager.close();
process.exit(report.failed > 0 ? 1 : 0);
