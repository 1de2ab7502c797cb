import type { Statement } from "better-sqlite3";
import type { Session, SessionMode } from "../engine/session.ts";
import { sqliteConnectionOf } from "../engine/sqlite-store.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { assertTenantId } from "../identifiers.ts";
import { inSharedSession } from "./guard-statements.ts";
import { pgTenantWork } from "./tenant-work-pg.ts";
import { signalWork } from "../work-signal.ts";
import type { SqliteConnection } from "../sqlite-file.ts";

/** An active tenant the worker should visit, with the mark's generation as it was read. */
export interface PendingTenant {
  tenantId: string;
  slug: string;
  generation: number;
}

/** A tenant (any status) whose earliest running lease may have expired. */
export interface LeaseCheckTenant {
  tenantId: string;
  slug: string;
}

export interface TenantWorkRow {
  tenantId: string;
  pendingSince: number | null;
  pendingGeneration: number;
  leaseCheckAt: number | null;
}

interface Statements {
  mark: Statement<[{ tenantId: string; now: number }]>;
  takeTurn: Statement<[{ tenantId: string; now: number; leaseExpiresAt: number }]>;
  clear: Statement<[{ tenantId: string; generation: number }]>;
  pending: Statement<[{ limit: number }], PendingTenant>;
  dueLeases: Statement<[{ now: number; limit: number }], LeaseCheckTenant>;
  setLeaseCheck: Statement<[{ tenantId: string; at: number | null }]>;
  nextLeaseCheck: Statement<[], { at: number | null }>;
  row: Statement<[string], TenantWorkRow>;
  depth: Statement<[], WorkQueueDepth>;
  webhooksDueEarlier: Statement<[{ tenantId: string; at: number }]>;
  setWebhooksDue: Statement<[{ tenantId: string; at: number | null }]>;
  dueWebhooks: Statement<[{ now: number; limit: number }], LeaseCheckTenant>;
  nextWebhooksDue: Statement<[], { at: number | null }>;
  webhooksDue: Statement<[string], { at: number | null }>;
}

/** How many tenants have pending executions, and how many have running ones (the worker's queue). */
export interface WorkQueueDepth {
  pendingTenants: number;
  runningTenants: number;
}

// CROSS JOIN fixes the join order: the index is read first, so an idle worker's queries cost the
// same with 10 or 10,000 tenants. Left to itself (no ANALYZE statistics), SQLite drove the join
// from the tenants' status index and visited every active tenant: 18 ms per idle tick at 10,000.
/** The idle worker's query (exported for the query-plan test). */
export const PENDING_TENANTS_SQL = `SELECT w.tenant_id AS tenantId, t.slug AS slug, w.pending_generation AS generation
   FROM tenant_work w CROSS JOIN tenants t ON t.id = w.tenant_id
  WHERE w.pending_since IS NOT NULL AND t.status = 'active' AND t.maintenance_since IS NULL
  ORDER BY w.pending_since, w.tenant_id
  LIMIT @limit`;

/**
 * Stale recovery's query (exported for the query-plan test). A tenant in maintenance is left
 * alone (its file may be being restored); its leases are recovered once maintenance ends.
 */
export const DUE_LEASE_CHECKS_SQL = `SELECT w.tenant_id AS tenantId, t.slug AS slug
   FROM tenant_work w CROSS JOIN tenants t ON t.id = w.tenant_id
  WHERE w.lease_check_at <= @now AND t.maintenance_since IS NULL
  ORDER BY w.lease_check_at, w.tenant_id
  LIMIT @limit`;

/**
 * The webhook deliverer's query (exported for the query-plan test): active tenants, not in
 * maintenance (their deliveries wait), whose earliest delivery is due by `now`.
 */
export const DUE_WEBHOOKS_SQL = `SELECT w.tenant_id AS tenantId, t.slug AS slug
   FROM tenant_work w CROSS JOIN tenants t ON t.id = w.tenant_id
  WHERE w.webhooks_due_at <= @now AND t.status = 'active' AND t.maintenance_since IS NULL
  ORDER BY w.webhooks_due_at, w.tenant_id
  LIMIT @limit`;

const prepared = new WeakMap<SqliteConnection, Statements>();

function prepare(db: SqliteConnection): Statements {
  return {
    // Upserts: a tenant whose row is missing (it should not be) still gets its work seen.
    mark: db.prepare(
      `INSERT INTO tenant_work (tenant_id, pending_since, pending_generation) VALUES (@tenantId, @now, 1)
       ON CONFLICT (tenant_id) DO UPDATE SET pending_since = coalesce(pending_since, @now), pending_generation = pending_generation + 1`,
    ),
    // The tenant goes to the back of the queue (its turn was taken) and its lease is checked by then.
    takeTurn: db.prepare(
      `INSERT INTO tenant_work (tenant_id, lease_check_at) VALUES (@tenantId, @leaseExpiresAt)
       ON CONFLICT (tenant_id) DO UPDATE
          SET pending_since = CASE WHEN pending_since IS NULL THEN NULL ELSE max(pending_since, @now) END,
              lease_check_at = min(coalesce(lease_check_at, @leaseExpiresAt), @leaseExpiresAt)`,
    ),
    clear: db.prepare(`UPDATE tenant_work SET pending_since = NULL WHERE tenant_id = @tenantId AND pending_generation = @generation`),
    pending: db.prepare(PENDING_TENANTS_SQL),
    dueLeases: db.prepare(DUE_LEASE_CHECKS_SQL),
    setLeaseCheck: db.prepare(`UPDATE tenant_work SET lease_check_at = @at WHERE tenant_id = @tenantId`),
    // min() over the lease index: one index probe, however many tenants.
    nextLeaseCheck: db.prepare<[], { at: number | null }>(`SELECT min(lease_check_at) AS at FROM tenant_work`),
    row: db.prepare(
      `SELECT tenant_id AS tenantId, pending_since AS pendingSince, pending_generation AS pendingGeneration, lease_check_at AS leaseCheckAt
         FROM tenant_work WHERE tenant_id = ?`,
    ),
    // Two range scans of the indexes over the marked rows only: as cheap with 10,000 idle tenants as with 10.
    depth: db.prepare<[], WorkQueueDepth>(
      `SELECT (SELECT count(*) FROM tenant_work WHERE pending_since IS NOT NULL) AS pendingTenants,
              (SELECT count(*) FROM tenant_work WHERE lease_check_at IS NOT NULL) AS runningTenants`,
    ),
    // The earlier of the stored time and @at: queueing never postpones a delivery already due.
    webhooksDueEarlier: db.prepare(
      `INSERT INTO tenant_work (tenant_id, webhooks_due_at) VALUES (@tenantId, @at)
       ON CONFLICT (tenant_id) DO UPDATE SET webhooks_due_at = min(coalesce(webhooks_due_at, @at), @at)`,
    ),
    setWebhooksDue: db.prepare(
      `INSERT INTO tenant_work (tenant_id, webhooks_due_at) VALUES (@tenantId, @at)
       ON CONFLICT (tenant_id) DO UPDATE SET webhooks_due_at = @at`,
    ),
    dueWebhooks: db.prepare(DUE_WEBHOOKS_SQL),
    nextWebhooksDue: db.prepare<[], { at: number | null }>(`SELECT min(webhooks_due_at) AS at FROM tenant_work`),
    webhooksDue: db.prepare<[string], { at: number | null }>(`SELECT webhooks_due_at AS at FROM tenant_work WHERE tenant_id = ?`),
  };
}

function statements(session: Session): Statements {
  const db = sqliteConnectionOf(session);
  let cached = prepared.get(db);
  if (!cached) {
    cached = prepare(db);
    prepared.set(db, cached);
  }
  return cached;
}

/**
 * The index's statements in a shared session: SQLite's prepared ones (the idle worker's queries are
 * measured at 10,000 tenants), or PostgreSQL's (tenant-work-pg.ts).
 */
function onShared<R>(mode: SessionMode, sqlite: (statements: Statements) => R, postgres: (session: Session) => Promise<R>): Promise<R> {
  return inSharedSession(mode, (session) => (session.engine === "postgres" ? postgres(session) : sqlite(statements(session))));
}

/**
 * The execution worker's index of tenants with work (`tenant_work` in shared.sqlite, see
 * schema/shared/control-plane.ts), so an idle worker opens no tenant file.
 *
 * Every write that changes a tenant's pending or running executions updates this index *inside
 * the tenant file's IMMEDIATE transaction*, before that transaction commits (ExecutionModel). The
 * index therefore never misses work: a crash between the two commits leaves a mark without work
 * (the worker visits the tenant once and clears it), never work without a mark; and a worker whose
 * claim found nothing cannot have raced a creation, because its claim waited for the creator's
 * write lock. Lock order: the tenant file, then shared.sqlite, never the reverse.
 */
export const tenantWorkModel = {
  /** A pending execution exists (or may): the worker visits the tenant. */
  async markPending(tenantId: string, now = Date.now()): Promise<void> {
    await onShared(
      "write",
      (st) => void st.mark.run({ tenantId, now }),
      (s) => pgTenantWork.mark(s, tenantId, now),
    );
  },

  /**
   * An execution of the tenant was claimed: its turn moves to the back of the queue (fairness
   * across ticks and workers) and its stale recovery is due when this lease expires at the latest.
   */
  async recordClaim(tenantId: string, leaseExpiresAt: number, now = Date.now()): Promise<void> {
    await onShared(
      "write",
      (st) => void st.takeTurn.run({ tenantId, now, leaseExpiresAt }),
      (s) => pgTenantWork.takeTurn(s, tenantId, now, leaseExpiresAt),
    );
  },

  /**
   * Active tenants with a mark, the longest waiting first: one indexed query on shared.sqlite.
   * Suspended tenants and tenants in maintenance keep their marks (their executions wait) and are not listed.
   */
  listPending(limit: number): Promise<PendingTenant[]> {
    return onShared(
      "read",
      (st) => st.pending.all({ limit }),
      (s) => pgTenantWork.pending(s, limit),
    );
  },

  /**
   * The worker's claim found nothing: the mark goes, unless the tenant was marked again since
   * `generation` was read (an execution created meanwhile). Returns whether it was cleared.
   */
  clearPending(tenantId: string, generation: number): Promise<boolean> {
    return onShared(
      "write",
      (st) => st.clear.run({ tenantId, generation }).changes > 0,
      (s) => pgTenantWork.clear(s, tenantId, generation),
    );
  },

  /** Tenants, whatever their status but not in maintenance, whose earliest running lease may have expired by `now`. */
  listDueLeaseChecks(now: number, limit: number): Promise<LeaseCheckTenant[]> {
    return onShared(
      "read",
      (st) => st.dueLeases.all({ now, limit }),
      (s) => pgTenantWork.dueLeases(s, now, limit),
    );
  },

  /** The earliest lease check of any tenant (epoch ms), or null when nothing runs anywhere. */
  nextLeaseCheckAt(): Promise<number | null> {
    return onShared(
      "read",
      (st) => st.nextLeaseCheck.get()?.at ?? null,
      (s) => pgTenantWork.earliest(s, "lease_check_at"),
    );
  },

  /** When the tenant's running executions must next be checked (null: none is running). */
  async setLeaseCheck(tenantId: string, at: number | null): Promise<void> {
    await onShared(
      "write",
      (st) => void st.setLeaseCheck.run({ tenantId, at }),
      (s) => pgTenantWork.setColumn(s, "lease_check_at", tenantId, at),
    );
  },

  /** The queue's depth in tenants (metrics; any status, suspended tenants' waiting work included). */
  queueDepth(): Promise<WorkQueueDepth> {
    return onShared(
      "read",
      (st) => st.depth.get() ?? { pendingTenants: 0, runningTenants: 0 },
      (s) => pgTenantWork.depth(s),
    );
  },

  /**
   * A webhook delivery of the tenant is due at `at` (epoch ms) or earlier: the deliverer visits it
   * by then. Called inside the tenant file's transaction that queued the delivery, so the index
   * never misses one (models/webhook-delivery.ts).
   */
  async markWebhooksDue(tenantId: string, at: number): Promise<void> {
    await onShared(
      "write",
      (st) => void st.webhooksDueEarlier.run({ tenantId, at }),
      (s) => pgTenantWork.webhooksDueEarlier(s, tenantId, at),
    );
  },

  /** The tenant's earliest undelivered delivery as just read from its file (null: none is waiting). */
  async setWebhooksDue(tenantId: string, at: number | null): Promise<void> {
    await onShared(
      "write",
      (st) => void st.setWebhooksDue.run({ tenantId, at }),
      (s) => pgTenantWork.setColumn(s, "webhooks_due_at", tenantId, at),
    );
  },

  /** Active tenants, not in maintenance, with a webhook delivery due by `now`, the most overdue first. */
  listDueWebhooks(now: number, limit: number): Promise<LeaseCheckTenant[]> {
    return onShared(
      "read",
      (st) => st.dueWebhooks.all({ now, limit }),
      (s) => pgTenantWork.dueWebhooks(s, now, limit),
    );
  },

  /** The earliest due delivery of any tenant (epoch ms), or null when none waits anywhere. */
  nextWebhooksDueAt(): Promise<number | null> {
    return onShared(
      "read",
      (st) => st.nextWebhooksDue.get()?.at ?? null,
      (s) => pgTenantWork.earliest(s, "webhooks_due_at"),
    );
  },

  /** When the tenant's next webhook delivery is due (null: none is waiting). */
  webhooksDueAt(tenantId: string): Promise<number | null> {
    assertTenantId(tenantId);
    return onShared(
      "read",
      (st) => st.webhooksDue.get(tenantId)?.at ?? null,
      (s) => pgTenantWork.webhooksDue(s, tenantId),
    );
  },

  /** The tenant's row as stored (tests, diagnostics). */
  find(tenantId: string): Promise<TenantWorkRow | null> {
    assertTenantId(tenantId);
    return onShared(
      "read",
      (st) => st.row.get(tenantId) ?? null,
      (s) => pgTenantWork.row(s, tenantId),
    );
  },
};

export type TenantWorkModel = typeof tenantWorkModel;

/**
 * Wakes a worker waiting on the signal file once the caller's session had its turn to commit:
 * every write that marks the index (an execution, a batch run, a webhook delivery) calls it.
 */
export function wakeWorkerSoon(): void {
  const dataDir = HybridDatabaseManager.getInstance().options.dataDir;
  setImmediate(() => signalWork(dataDir));
}
