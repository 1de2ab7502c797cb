/**
 * `pnpm db:migrate [--concurrency N] [--tenant <slug>]…`: migrates shared.sqlite, then every
 * tenant file (or the named ones) in parallel, printing one line per tenant and a summary.
 * Exits 1 if any tenant failed; rerun after fixing to resume (up-to-date tenants are skipped).
 */
import "./default-data-dir.ts";
import { parseArgs } from "node:util";
import { HybridDatabaseManager, HybridMigrationManager, sealPlainSecrets } from "../src/index.ts";
import { tenantIdsFromSlugs } from "./tenant-arguments.ts";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string" },
    tenant: { type: "string", multiple: true },
    quiet: { type: "boolean", default: false },
  },
});
const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
  console.error(`--concurrency must be a whole number ≥ 1, got ${JSON.stringify(values.concurrency)}`);
  process.exit(2);
}

const manager = HybridDatabaseManager.getInstance();
console.log(`Data directory: ${manager.options.dataDir}`);
const migrator = new HybridMigrationManager(manager);
const shared = await migrator.runSharedMigrations();
console.log(`shared.sqlite: ${shared.applied > 0 ? `applied ${shared.applied}, now at v${shared.toVersion}` : `up to date (v${shared.toVersion})`}`);
// Secrets saved before encryption at rest are sealed once; the first run creates the key file.
const sealed = await sealPlainSecrets(manager);
if (sealed > 0) console.log(`Secrets: encrypted ${sealed} setting(s) stored in plain text.`);

const tenantIds = await tenantIdsFromSlugs(values.tenant);

const report = await migrator.runTenantMigrations({
  concurrency,
  tenantIds,
  onProgress: ({ done, total, result }) => {
    if (values.quiet && result.status !== "failed") return;
    const what =
      result.status === "failed"
        ? `FAILED: ${result.error ?? "unknown error"}`
        : result.status === "applied"
          ? `v${result.fromVersion} → v${result.toVersion}`
          : "up to date";
    console.log(`[${done}/${total}] ${result.slug} ${what} (${result.durationMs.toFixed(1)} ms)`);
  },
});
console.log(
  `Tenants: ${report.total} (applied ${report.applied}, up to date ${report.upToDate}, failed ${report.failed}) ` +
    `in ${(report.durationMs / 1000).toFixed(2)} s, latest schema v${report.latestVersion}.`,
);
manager.close();
process.exit(report.failed > 0 ? 1 : 0);
