import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { InvalidQueryError } from "../errors.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { Session } from "../engine/session.ts";
import { webhookDeliveries } from "../schema/tenant/webhook-deliveries.ts";
import { tenantContext } from "../tenant-context.ts";
import type { Page, RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { tenantWorkModel, wakeWorkerSoon } from "./tenant-work.ts";
import { readBatchCompletedEventData, isWebhookEventType, WEBHOOK_TEST_EVENT, type WebhookEventName, type WebhookEventType } from "./webhook-events.ts";
import { rowLimit } from "../engine/dialect.ts";

export type WebhookDeliveryRow = RowOf<typeof webhookDeliveries>;

/** A delivery is retried until this long after its event, then it is failed. */
export const WEBHOOK_DELIVERY_TTL_MS = 24 * 60 * 60_000;

/** Which webhooks an event goes to besides their subscriptions. */
export interface QueueEventOptions {
  /** The deployment the event concerns: webhooks limited to another deployment do not get it. */
  deploymentId?: string | null;
  /** Only these webhooks (by identifier), whatever their events and enabled flag ("send test event"). */
  webhooks?: readonly string[];
}

/** What one delivery attempt came to (WebhookDeliverer decides retry or not). */
export interface DeliveryAttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** `delivered`, `retry` at `retryAt`, or `failed` for good. */
  result: { status: "delivered" } | { status: "retry"; retryAt: Date } | { status: "failed" };
}

/** A webhook as the settings row `webhook/<identifier>` stores it (the fields delivery needs). */
interface StoredSubscription {
  identifier: string;
  events: string[];
  enabled: boolean;
  deploymentId: string | null;
}

function subscriptionOf(identifier: string, payload: Record<string, unknown>): StoredSubscription {
  const events = Array.isArray(payload.events) ? payload.events.filter((event): event is string => typeof event === "string") : [];
  return {
    identifier,
    events,
    enabled: payload.enabled === true,
    deploymentId: typeof payload.deploymentId === "string" ? payload.deploymentId : null,
  };
}

/** The current tenant's webhooks that receive `event`, and its slug (read from the shared store). */
async function recipients(tenantId: string, event: WebhookEventName, options: QueueEventOptions): Promise<{ webhooks: string[]; slug: string }> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session("read", async ({ db, t }) => {
      const { settings, tenants } = t;
      const stored = await db
        .select({ identifier: settings.identifier, payload: settings.payload })
        .from(settings)
        .where(and(eq(settings.tenantId, tenantId), eq(settings.type, "webhook")));
      const rows = stored.map((row) => subscriptionOf(row.identifier, row.payload));
      const [tenant] = await db.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
      const slug = tenant?.slug ?? "";
      if (options.webhooks) {
        const named = new Set(options.webhooks);
        return { slug, webhooks: rows.filter((row) => named.has(row.identifier)).map((row) => row.identifier) };
      }
      const deploymentId = options.deploymentId ?? null;
      const webhooks = rows
        .filter((row) => row.enabled && row.events.includes(event) && (row.deploymentId === null || row.deploymentId === deploymentId))
        .map((row) => row.identifier);
      return { slug, webhooks };
    });
}

/** When the tenant's earliest undelivered delivery needs the deliverer: a pending one's next attempt, a claimed one's lease expiry. */
async function earliestDue({ db, t }: Session): Promise<number | null> {
  const { webhookDeliveries: d } = t;
  const dueAt = sql`CASE WHEN ${d.status} = 'pending' THEN ${d.nextAttemptAt} ELSE ${d.leaseExpiresAt} END`;
  const [row] = await db
    .select({
      earliest: sql<Date | null>`min(${dueAt})`.mapWith(d.nextAttemptAt),
      // A row without its time is due at once (0), as before.
      untimed: sql<number>`count(*) - count(${dueAt})`.mapWith(Number),
      total: sql<number>`count(*)`.mapWith(Number),
    })
    .from(d)
    .where(inArray(d.status, ["pending", "delivering"]));
  if (!row || row.total === 0) return null;
  if (row.untimed > 0) return 0;
  return row.earliest ? row.earliest.getTime() : null;
}

/** Still claimed by this worker, in this attempt. */
function heldBy(d: typeof webhookDeliveries, claim: { workerId: string; attempt: number }) {
  return [eq(d.status, "delivering"), eq(d.claimedBy, claim.workerId), eq(d.attempts, claim.attempt)];
}

/**
 * The webhook delivery log and outbox (tenant table webhook_deliveries). An event is written as
 * one row per receiving webhook *in the transaction of what caused it* (an execution's finish, a
 * batch run's completion), with the tenant's `webhooks_due_at` in shared.sqlite's worker index
 * set in the same transaction (lock order: the tenant file, then shared.sqlite, as for
 * executions, models/tenant-work.ts). So an event is never lost (the row commits with its cause)
 * nor doubled (one row per webhook and event id, `webhook_deliveries_event_unique`).
 *
 * Only the worker sends deliveries (packages/api/src/worker/webhook-deliverer.ts): it claims due
 * rows with a lease, and records each attempt only while its claim holds, so a worker that died
 * mid-delivery loses the row to the next claim once its lease expired.
 */
export class WebhookDeliveryModel extends IsolatedModel<typeof webhookDeliveries> {
  constructor() {
    super(webhookDeliveries);
  }

  /**
   * Queues `type` with `data` for every enabled webhook of the current tenant subscribed to it
   * (and not limited to another deployment), inside the caller's transaction `tx` on the tenant
   * file. Returns the rows written (none when no webhook receives it). The caller's transaction
   * must be IMMEDIATE (every model transaction is, by default).
   */
  async queueInTransaction(
    s: Session,
    type: WebhookEventName,
    data: Record<string, unknown>,
    options: QueueEventOptions = {},
    now = new Date(),
  ): Promise<WebhookDeliveryRow[]> {
    if (type !== WEBHOOK_TEST_EVENT && !isWebhookEventType(type)) throw new InvalidQueryError(`"${String(type)}" is not a webhook event.`);
    const tenantId = tenantContext.getCurrentTenantId("webhookDeliveries.queue");
    const { webhooks, slug } = await recipients(tenantId, type, options);
    if (webhooks.length === 0) return [];
    const eventId = randomUUID();
    const payload = { id: eventId, type, createdAt: now.toISOString(), tenant: { id: tenantId, slug }, data };
    const expiresAt = new Date(now.getTime() + WEBHOOK_DELIVERY_TTL_MS);
    const rows = await s.db
      .insert(s.t.webhookDeliveries)
      .values(
        webhooks.map((webhook) => ({
          id: randomUUID(),
          webhook,
          eventId,
          event: type,
          payload,
          status: "pending" as const,
          nextAttemptAt: now,
          expiresAt,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    // Inside the tenant store's session: the deliverer's index never misses a committed delivery.
    await tenantWorkModel.markWebhooksDue(tenantId, now.getTime());
    wakeWorkerSoon();
    return rows;
  }

  /**
   * `batch.completed` for run `runId`, inside the caller's session: the call the batch run's
   * completion (its status moving to `completed`) makes in the same transaction.
   */
  async queueBatchCompletedInTransaction(s: Session, runId: string, now = new Date()): Promise<WebhookDeliveryRow[]> {
    const data = await readBatchCompletedEventData(s, runId);
    if (!data) throw new InvalidQueryError(`Batch run ${runId} does not exist.`);
    return this.queueInTransaction(s, "batch.completed", data, {}, now);
  }

  /** `queueInTransaction` in a session of its own (events not tied to another write, e.g. the test event). */
  async queue(type: WebhookEventName, data: Record<string, unknown>, options: QueueEventOptions = {}, now = new Date()): Promise<WebhookDeliveryRow[]> {
    return this.session("webhookDeliveries.queue", "write", (s) => this.queueInTransaction(s, type, data, options, now));
  }

  /**
   * Claims up to `limit` due deliveries for `claim.workerId` with a lease of `claim.leaseMs`:
   * pending ones whose next attempt is due and claimed ones whose lease expired (their worker
   * died); each claim counts an attempt. Deliveries past their 24 h first fail, unsent. In the
   * same IMMEDIATE transaction the tenant's `webhooks_due_at` becomes its earliest remaining due time.
   */
  async claimDue(claim: { workerId: string; leaseMs: number }, limit: number, now = new Date()): Promise<WebhookDeliveryRow[]> {
    if (claim.workerId === "" || !Number.isInteger(claim.leaseMs) || claim.leaseMs < 1)
      throw new InvalidQueryError("A claim needs the worker's id and a lease ≥ 1 ms.");
    return this.session("webhookDeliveries.claimDue", "write", async (s) => {
      const { db } = s;
      const d = s.t.webhookDeliveries;
      const due = or(and(eq(d.status, "pending"), lte(d.nextAttemptAt, now)), and(eq(d.status, "delivering"), lte(d.leaseExpiresAt, now)));
      await db
        .update(d)
        .set({
          status: "failed",
          lastError: sql`coalesce(${d.lastError} || ' — ', '') || 'not delivered within 24 hours of the event; no more attempts'`,
          nextAttemptAt: null,
          claimedBy: null,
          leaseExpiresAt: null,
          updatedAt: now,
        })
        .where(and(due, lte(d.expiresAt, now)));
      const ids = (await db.select({ id: d.id }).from(d).where(due).orderBy(asc(d.nextAttemptAt), asc(d.id)).limit(rowLimit(limit))).map((row) => row.id);
      const claimed =
        ids.length === 0
          ? []
          : await db
              .update(d)
              .set({
                status: "delivering",
                attempts: sql`${d.attempts} + 1`,
                claimedBy: claim.workerId,
                leaseExpiresAt: new Date(now.getTime() + claim.leaseMs),
                updatedAt: now,
              })
              .where(inArray(d.id, ids))
              .returning();
      await tenantWorkModel.setWebhooksDue(tenantContext.getCurrentTenantId("webhookDeliveries.claimDue"), await earliestDue(s));
      return claimed;
    });
  }

  /**
   * Records an attempt of a claimed delivery, only while the claim is still this worker's (same
   * worker, same attempt): a worker whose lease expired cannot overwrite the next attempt.
   * Returns the updated row, or null when the claim was lost.
   */
  async recordAttempt(
    id: string,
    claim: { workerId: string; attempt: number },
    outcome: DeliveryAttemptOutcome,
    now = new Date(),
  ): Promise<WebhookDeliveryRow | null> {
    const { result } = outcome;
    return this.session("webhookDeliveries.recordAttempt", "write", async (s) => {
      const d = s.t.webhookDeliveries;
      const [row] = await s.db
        .update(d)
        .set({
          status: result.status === "retry" ? "pending" : result.status,
          nextAttemptAt: result.status === "retry" ? result.retryAt : null,
          deliveredAt: result.status === "delivered" ? now : null,
          lastStatusCode: outcome.statusCode,
          lastError: outcome.error,
          lastDurationMs: Math.round(outcome.durationMs),
          claimedBy: null,
          leaseExpiresAt: null,
          updatedAt: now,
        })
        .where(and(eq(d.id, id), ...heldBy(d, claim)))
        .returning();
      if (row) await tenantWorkModel.setWebhooksDue(tenantContext.getCurrentTenantId("webhookDeliveries.recordAttempt"), await earliestDue(s));
      return row ?? null;
    });
  }

  /**
   * A failed delivery is sent again: pending now, with a new 24 h of retries. Returns null when
   * the delivery does not exist (or belongs to another webhook than `webhook`); throws when it has
   * not failed.
   */
  async redeliver(id: string, webhook: string, now = new Date()): Promise<WebhookDeliveryRow | null> {
    return this.session("webhookDeliveries.redeliver", "write", async (s) => {
      const d = s.t.webhookDeliveries;
      const [existing] = await s.db
        .select()
        .from(d)
        .where(and(eq(d.id, id), eq(d.webhook, webhook)));
      if (!existing) return null;
      if (existing.status !== "failed") throw new InvalidQueryError(`Only a failed delivery can be sent again; this one is ${existing.status}.`);
      const [row] = await s.db
        .update(d)
        .set({ status: "pending", nextAttemptAt: now, expiresAt: new Date(now.getTime() + WEBHOOK_DELIVERY_TTL_MS), updatedAt: now })
        .where(and(eq(d.id, id), eq(d.status, "failed")))
        .returning();
      await tenantWorkModel.markWebhooksDue(tenantContext.getCurrentTenantId("webhookDeliveries.redeliver"), now.getTime());
      wakeWorkerSoon();
      return row ?? null;
    });
  }

  /** One page of a webhook's deliveries, the newest first. */
  async listForWebhook(webhook: string, page: number, pageSize: number): Promise<Page<WebhookDeliveryRow>> {
    return this.findWithPagination({
      where: (t) => eq(t.webhook, webhook),
      orderBy: [
        { column: "createdAt", direction: "desc" },
        { column: "id", direction: "desc" },
      ],
      page,
      pageSize,
    });
  }

  /** The delivery `id` of `webhook`, or null. */
  async findForWebhook(id: string, webhook: string): Promise<WebhookDeliveryRow | null> {
    return this.session("webhookDeliveries.findForWebhook", "read", async ({ db, t }) => {
      const d = t.webhookDeliveries;
      const [row] = await db
        .select()
        .from(d)
        .where(and(eq(d.id, id), eq(d.webhook, webhook)))
        .orderBy(desc(d.createdAt))
        .limit(rowLimit(1));
      return row ?? null;
    });
  }

  /** When the tenant's next delivery is due, as its file says (tests, diagnostics). */
  async nextDueAt(): Promise<number | null> {
    return this.session("webhookDeliveries.nextDueAt", "read", earliestDue);
  }
}

export const webhookDeliveryModel = new WebhookDeliveryModel();

/**
 * Queues a webhook event in the current tenant (its own transaction): one delivery per enabled
 * webhook subscribed to `type` (and not limited to another deployment than `deploymentId`), sent by
 * the worker. To tie an event to another write, call `webhookDeliveryModel.queueInTransaction`
 * inside that write's transaction instead (as `executionModel.finish` does).
 */
export function queueWebhookEvent(
  type: WebhookEventType,
  data: Record<string, unknown>,
  options: { deploymentId?: string | null } = {},
): Promise<WebhookDeliveryRow[]> {
  return webhookDeliveryModel.queue(type, data, options);
}
