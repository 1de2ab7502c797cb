import { sql, type SQL } from "drizzle-orm";
import { epochMs } from "../engine/dialect.ts";
import { rawRows } from "../engine/raw.ts";
import type { Session } from "../engine/session.ts";
import type { LeaseCheckTenant, PendingTenant, TenantWorkRow, WorkQueueDepth } from "./tenant-work.ts";

/**
 * The worker index's statements on PostgreSQL (tenant-work.ts has SQLite's): the same upserts and
 * indexed reads, with times as timestamptz (epoch milliseconds in and out) and LEAST/GREATEST for
 * SQLite's two-argument MIN/MAX.
 */
const at = (ms: number | null): SQL => (ms === null ? sql`NULL::timestamptz` : sql`to_timestamp(${ms}::double precision / 1000)`);
const ms = (column: SQL): SQL => sql`(extract(epoch from ${column}) * 1000)::bigint`;
const instant = (value: unknown): number | null => epochMs(value);

export const pgTenantWork = {
  async mark(session: Session, tenantId: string, now: number): Promise<void> {
    await rawRows(
      session,
      sql`INSERT INTO sigil_shared.tenant_work AS w (tenant_id, pending_since, pending_generation) VALUES (${tenantId}, ${at(now)}, 1)
          ON CONFLICT (tenant_id) DO UPDATE SET pending_since = coalesce(w.pending_since, EXCLUDED.pending_since), pending_generation = w.pending_generation + 1
          RETURNING 1`,
    );
  },

  async takeTurn(session: Session, tenantId: string, now: number, leaseExpiresAt: number): Promise<void> {
    await rawRows(
      session,
      sql`INSERT INTO sigil_shared.tenant_work AS w (tenant_id, lease_check_at) VALUES (${tenantId}, ${at(leaseExpiresAt)})
          ON CONFLICT (tenant_id) DO UPDATE
             SET pending_since = CASE WHEN w.pending_since IS NULL THEN NULL ELSE GREATEST(w.pending_since, ${at(now)}) END,
                 lease_check_at = LEAST(coalesce(w.lease_check_at, EXCLUDED.lease_check_at), EXCLUDED.lease_check_at)
          RETURNING 1`,
    );
  },

  async clear(session: Session, tenantId: string, generation: number): Promise<boolean> {
    const rows = await rawRows(
      session,
      sql`UPDATE sigil_shared.tenant_work SET pending_since = NULL WHERE tenant_id = ${tenantId} AND pending_generation = ${generation}::bigint RETURNING 1`,
    );
    return rows.length > 0;
  },

  async pending(session: Session, limit: number): Promise<PendingTenant[]> {
    const rows = await rawRows<{ tenant_id: string; slug: string; generation: string | number }>(
      session,
      sql`SELECT w.tenant_id, t.slug, w.pending_generation AS generation
            FROM sigil_shared.tenant_work w JOIN sigil_shared.tenants t ON t.id = w.tenant_id
           WHERE w.pending_since IS NOT NULL AND t.status = 'active' AND t.maintenance_since IS NULL
           ORDER BY w.pending_since, w.tenant_id
           LIMIT ${limit}::integer`,
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, slug: row.slug, generation: Number(row.generation) }));
  },

  async dueLeases(session: Session, now: number, limit: number): Promise<LeaseCheckTenant[]> {
    return dueTenants(session, sql`w.lease_check_at <= ${at(now)}`, sql`w.lease_check_at`, limit);
  },

  async dueWebhooks(session: Session, now: number, limit: number): Promise<LeaseCheckTenant[]> {
    return dueTenants(session, sql`w.webhooks_due_at <= ${at(now)} AND t.status = 'active'`, sql`w.webhooks_due_at`, limit);
  },

  async setColumn(session: Session, column: "lease_check_at" | "webhooks_due_at", tenantId: string, value: number | null): Promise<void> {
    const name = sql.raw(column);
    await rawRows(
      session,
      sql`INSERT INTO sigil_shared.tenant_work (tenant_id, ${name}) VALUES (${tenantId}, ${at(value)})
          ON CONFLICT (tenant_id) DO UPDATE SET ${name} = EXCLUDED.${name} RETURNING 1`,
    );
  },

  async webhooksDueEarlier(session: Session, tenantId: string, due: number): Promise<void> {
    await rawRows(
      session,
      sql`INSERT INTO sigil_shared.tenant_work AS w (tenant_id, webhooks_due_at) VALUES (${tenantId}, ${at(due)})
          ON CONFLICT (tenant_id) DO UPDATE SET webhooks_due_at = LEAST(coalesce(w.webhooks_due_at, EXCLUDED.webhooks_due_at), EXCLUDED.webhooks_due_at)
          RETURNING 1`,
    );
  },

  async earliest(session: Session, column: "lease_check_at" | "webhooks_due_at"): Promise<number | null> {
    const [row] = await rawRows<{ at: unknown }>(session, sql`SELECT ${ms(sql`min(${sql.raw(column)})`)} AS at FROM sigil_shared.tenant_work`);
    return instant(row?.at);
  },

  async webhooksDue(session: Session, tenantId: string): Promise<number | null> {
    const [row] = await rawRows<{ at: unknown }>(
      session,
      sql`SELECT ${ms(sql`webhooks_due_at`)} AS at FROM sigil_shared.tenant_work WHERE tenant_id = ${tenantId}`,
    );
    return instant(row?.at);
  },

  async row(session: Session, tenantId: string): Promise<TenantWorkRow | null> {
    const [row] = await rawRows<{ pending_since: unknown; pending_generation: string | number; lease_check_at: unknown }>(
      session,
      sql`SELECT ${ms(sql`pending_since`)} AS pending_since, pending_generation, ${ms(sql`lease_check_at`)} AS lease_check_at
            FROM sigil_shared.tenant_work WHERE tenant_id = ${tenantId}`,
    );
    if (!row) return null;
    return {
      tenantId,
      pendingSince: instant(row.pending_since),
      pendingGeneration: Number(row.pending_generation),
      leaseCheckAt: instant(row.lease_check_at),
    };
  },

  async depth(session: Session): Promise<WorkQueueDepth> {
    const [row] = await rawRows<{ pending: string | number; running: string | number }>(
      session,
      sql`SELECT (SELECT count(*) FROM sigil_shared.tenant_work WHERE pending_since IS NOT NULL) AS pending,
                 (SELECT count(*) FROM sigil_shared.tenant_work WHERE lease_check_at IS NOT NULL) AS running`,
    );
    return { pendingTenants: Number(row?.pending ?? 0), runningTenants: Number(row?.running ?? 0) };
  },
};

async function dueTenants(session: Session, due: SQL, order: SQL, limit: number): Promise<LeaseCheckTenant[]> {
  const rows = await rawRows<{ tenant_id: string; slug: string }>(
    session,
    sql`SELECT w.tenant_id, t.slug
          FROM sigil_shared.tenant_work w JOIN sigil_shared.tenants t ON t.id = w.tenant_id
         WHERE ${due} AND t.maintenance_since IS NULL
         ORDER BY ${order}, w.tenant_id
         LIMIT ${limit}::integer`,
  );
  return rows.map((row) => ({ tenantId: row.tenant_id, slug: row.slug }));
}
