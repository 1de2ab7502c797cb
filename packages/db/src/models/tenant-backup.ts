import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { epochMs, rowLimit } from "../engine/dialect.ts";
import { rawRows, rawRun } from "../engine/raw.ts";
import type { Store } from "../engine/session.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { tenantBackups, BackupOutcome } from "../schema/shared/backups.ts";

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

function shared(): Store {
  return HybridDatabaseManager.getInstance().sharedStore();
}

interface Freshness {
  newestGoodAt: number | null;
  stalestLastGoodAt: number | null;
  activeTenantsWithoutGood: number;
}

/** The record of backups per tenant (schema/shared/backups.ts), written by every backup run. */
export const tenantBackupModel = {
  /** One run's rows in one write session; older rows beyond KEEP_PER_TENANT per tenant go. */
  async record(rows: NewTenantBackup[]): Promise<void> {
    if (rows.length === 0) return;
    await shared().session("write", async (s) => {
      const backups = s.t.tenantBackups;
      for (const row of rows) {
        await s.db.insert(backups).values({ id: randomUUID(), ...row });
        await rawRun(
          s,
          sql`DELETE FROM ${backups} WHERE ${backups.tenantId} = ${row.tenantId} AND ${backups.id} NOT IN (SELECT ${backups.id} FROM ${backups} WHERE ${backups.tenantId} = ${row.tenantId} ORDER BY ${backups.takenAt} DESC LIMIT ${KEEP_PER_TENANT})`,
        );
      }
    });
  },

  /** Each tenant's newest backup row (any outcome) and its newest good one. */
  async latestByTenant(): Promise<Map<string, { latest: TenantBackupRow; lastGood: TenantBackupRow | null }>> {
    const rows = await shared().session("read", (s) => s.db.select().from(s.t.tenantBackups).orderBy(desc(s.t.tenantBackups.takenAt)));
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
  async freshness(): Promise<Freshness> {
    return shared().session("read", async (s) => {
      const { tenantBackups: b, tenants: t } = s.t;
      const [newest] = await rawRows<{ at: unknown }>(s, sql`SELECT max(${b.takenAt}) AS at FROM ${b} WHERE ${b.outcome} = 'ok'`);
      const [stalest] = await rawRows<{ at: unknown }>(
        s,
        sql`SELECT min(last_ok) AS at FROM (SELECT max(${b.takenAt}) AS last_ok FROM ${b} JOIN ${t} ON ${t.id} = ${b.tenantId} WHERE ${b.outcome} = 'ok' AND ${t.status} = 'active' GROUP BY ${b.tenantId}) AS per_tenant`,
      );
      const [without] = await rawRows<{ n: unknown }>(
        s,
        sql`SELECT count(*) AS n FROM ${t} WHERE ${t.status} = 'active' AND NOT EXISTS (SELECT 1 FROM ${b} WHERE ${b.tenantId} = ${t.id} AND ${b.outcome} = 'ok')`,
      );
      return { newestGoodAt: epochMs(newest?.at), stalestLastGoodAt: epochMs(stalest?.at), activeTenantsWithoutGood: Number(without?.n ?? 0) };
    });
  },

  /** One tenant's rows, newest first. */
  async forTenant(tenantId: string, limit = 10): Promise<TenantBackupRow[]> {
    return shared().session("read", (s) => {
      const backups = s.t.tenantBackups;
      return s.db.select().from(backups).where(eq(backups.tenantId, tenantId)).orderBy(desc(backups.takenAt)).limit(rowLimit(limit));
    });
  },
};
