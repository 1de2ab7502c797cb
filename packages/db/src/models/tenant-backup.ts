import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { tenantBackups, type BackupOutcome } from "../schema/shared/backups.ts";

export type TenantBackupRow = typeof tenantBackups.$inferSelect;
export interface NewTenantBackup {
  tenantId: string;
  setPath: string;
  takenAt: Date;
  outcome: BackupOutcome;
  bytes: number | null;
  sha256: string | null;
  reused: boolean;
  error: string | null;
}

/** Rows kept per tenant: the admin console shows the latest; older ones only explain history. */
const KEEP_PER_TENANT = 50;

function db() {
  return HybridDatabaseManager.getInstance().getSharedDatabase();
}

/** The record of backups per tenant (schema/shared/backups.ts), written by every backup run. */
export const tenantBackupModel = {
  /** One run's rows in one transaction; older rows beyond KEEP_PER_TENANT per tenant go. */
  record(rows: NewTenantBackup[]): void {
    if (rows.length === 0) return;
    db().transaction(
      (tx) => {
        for (const row of rows) {
          tx.insert(tenantBackups)
            .values({ id: randomUUID(), ...row })
            .run();
          tx.run(
            sql`DELETE FROM tenant_backups WHERE tenant_id = ${row.tenantId} AND id NOT IN (SELECT id FROM tenant_backups WHERE tenant_id = ${row.tenantId} ORDER BY taken_at DESC LIMIT ${KEEP_PER_TENANT})`,
          );
        }
      },
      { behavior: "immediate" },
    );
  },

  /** Each tenant's newest backup row (any outcome) and its newest good one. */
  latestByTenant(): Map<string, { latest: TenantBackupRow; lastGood: TenantBackupRow | null }> {
    const rows = db().select().from(tenantBackups).orderBy(desc(tenantBackups.takenAt)).all();
    const byTenant = new Map<string, { latest: TenantBackupRow; lastGood: TenantBackupRow | null }>();
    for (const row of rows) {
      const entry = byTenant.get(row.tenantId);
      if (!entry) byTenant.set(row.tenantId, { latest: row, lastGood: row.outcome === "ok" ? row : null });
      else if (entry.lastGood === null && row.outcome === "ok") entry.lastGood = row;
    }
    return byTenant;
  },

  /**
   * How fresh the backups are, for monitoring (api: observability/backup-metrics.ts), in three
   * aggregate reads over the (tenant_id, taken_at) index, whatever the number of tenants: the
   * newest good backup of any tenant, the stalest tenant's last good backup, and how many active
   * tenants have none. Times are milliseconds since the epoch; null when there is none.
   */
  freshness(): { newestGoodAt: number | null; stalestLastGoodAt: number | null; activeTenantsWithoutGood: number } {
    const client = db().$client;
    const newest = client.prepare("SELECT max(taken_at) AS at FROM tenant_backups WHERE outcome = 'ok'").get() as { at: number | null };
    const stalest = client
      .prepare(
        "SELECT min(last_ok) AS at FROM (SELECT max(b.taken_at) AS last_ok FROM tenant_backups b JOIN tenants t ON t.id = b.tenant_id WHERE b.outcome = 'ok' AND t.status = 'active' GROUP BY b.tenant_id)",
      )
      .get() as { at: number | null };
    const without = client
      .prepare(
        "SELECT count(*) AS n FROM tenants t WHERE t.status = 'active' AND NOT EXISTS (SELECT 1 FROM tenant_backups b WHERE b.tenant_id = t.id AND b.outcome = 'ok')",
      )
      .get() as { n: number };
    return { newestGoodAt: newest.at, stalestLastGoodAt: stalest.at, activeTenantsWithoutGood: without.n };
  },

  /** One tenant's rows, newest first. */
  forTenant(tenantId: string, limit = 10): TenantBackupRow[] {
    return db().select().from(tenantBackups).where(eq(tenantBackups.tenantId, tenantId)).orderBy(desc(tenantBackups.takenAt)).limit(limit).all();
  },
};
