import type { TenantMigrationReport, TenantMigrationResult } from "./hybrid-migration-manager.ts";

/**
 * The report of a tenant migration run from its per-tenant results, for either engine's runner
 * (hybrid-migration-manager.ts for SQLite files, src/pg/migrate-tenant-schemas.ts for schemas).
 * `total` counts the tenants the run was given: an aborted run reports fewer results.
 */
export function migrationReport(total: number, results: TenantMigrationResult[], startedAt: number, latestVersion: number): TenantMigrationReport {
  const durationMs = performance.now() - startedAt;
  return {
    total,
    applied: results.filter((r) => r.status === "applied").length,
    upToDate: results.filter((r) => r.status === "up_to_date").length,
    failed: results.filter((r) => r.status === "failed").length,
    durationMs,
    tenantsPerSecond: durationMs > 0 ? (total / durationMs) * 1000 : 0,
    latestVersion,
    results,
  };
}
