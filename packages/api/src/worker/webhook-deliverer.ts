import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { settingsModel, tenantContext, tenantWorkModel, webhookDeliveryModel, type DeliveryAttemptOutcome, type WebhookDeliveryRow } from "@sigil/db";
import { apiConfig } from "../config.ts";
import { outboundRequest, OutboundUnreachableError, type OutboundPolicy } from "../outbound/request.ts";
import { retryDelayMs } from "../webhooks/backoff.ts";
import { EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader, WEBHOOK_USER_AGENT } from "../webhooks/signature.ts";
import { IdleLoop } from "./idle-loop.ts";
import { errorMessage } from "./provider.ts";

/** A receiver's answer is not needed: more than this is not read (the attempt then fails). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookDelivererOptions {
  /** Where deliveries may go besides public addresses (default: SIGIL_OUTBOUND_ALLOW, as for provider base URLs). */
  outbound?: OutboundPolicy;
  /** One POST's timeout (default 10 s). */
  timeoutMs?: number;
  /** How long a claim holds (default 60 s, above timeoutMs): a worker that dies mid-delivery loses it after this. */
  leaseMs?: number;
  /** Deliveries one tenant visit claims at most (default 20). */
  batchSize?: number;
  /** Deliveries sent at the same time within a tenant (default 4). */
  concurrency?: number;
  /** How often an idle loop looks when signals cannot reach it, or a due tenant could not be served (default 1 s). */
  pollIntervalMs?: number;
  /** Watch the data directory's signal file so new deliveries go out at once (default true). */
  wakeOnSignal?: boolean;
  /** The clock (tests move it); default the system's. */
  now?: () => Date;
  /** Jitter of retry delays, in [0, 1) (tests pin it). */
  random?: () => number;
  /** Every attempt and every error; must not throw (it is guarded). */
  onEvent?: (event: WebhookEvent) => void;
}

export type WebhookEvent =
  | {
      type: "delivery";
      tenantId: string;
      tenantSlug: string;
      deliveryId: string;
      webhook: string;
      event: string;
      attempt: number;
      status: "delivered" | "retry" | "failed";
      statusCode: number | null;
      error: string | null;
      /** For the operator's log only: why the outbound guard refused or the connection failed. */
      detail: string | null;
      durationMs: number;
      /** The receiver answered 410 Gone and the webhook was disabled. */
      disabled: boolean;
      /** False when the claim was lost before the attempt was recorded (another worker has it now). */
      recorded: boolean;
    }
  | { type: "error"; tenantSlug?: string; message: string };

export interface DeliveryPassResult {
  attempted: number;
  delivered: number;
  retried: number;
  failed: number;
  errors: string[];
  /** Tenants were left for the next pass (a limit was hit): run it at once. */
  more: boolean;
}

/** Tenants one pass visits at most. */
const TENANTS_PER_PASS = 100;

/**
 * Sends webhook deliveries: a loop in the worker process beside ExecutionWorker (scripts/worker.ts),
 * never in a request. Which tenants: those whose `webhooks_due_at` in shared.sqlite's worker index
 * is due (packages/db/src/models/tenant-work.ts), active and not in maintenance; an idle deliverer
 * reads only that index and opens no tenant file. In each tenant it claims due deliveries with a
 * lease (models/webhook-delivery.ts), POSTs each through the outbound guard with a signature, and
 * records the attempt: 2xx delivered; anything else retried with backoff (webhooks/backoff.ts)
 * until 24 h after the event, then failed; 410 Gone fails it and disables the webhook.
 */
export class WebhookDeliverer {
  readonly id: string;
  readonly timeoutMs: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly outbound: OutboundPolicy;
  private readonly wakeOnSignal: boolean;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly onEvent: ((event: WebhookEvent) => void) | undefined;
  private readonly loop: IdleLoop;
  /** What the last pass of the loop found (null: it failed), for the idle wait. */
  private lastPass: DeliveryPassResult | null = null;
  private readonly passes = new Set<Promise<unknown>>();

  constructor(options: WebhookDelivererOptions = {}) {
    this.id = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}:webhooks`;
    this.timeoutMs = whole("timeoutMs", options.timeoutMs ?? 10_000);
    this.leaseMs = whole("leaseMs", options.leaseMs ?? 60_000);
    if (this.leaseMs <= this.timeoutMs) {
      throw new RangeError(
        `WebhookDeliverer: leaseMs (${this.leaseMs}) must be above timeoutMs (${this.timeoutMs}), or a slow receiver would get the delivery twice.`,
      );
    }
    this.pollIntervalMs = whole("pollIntervalMs", options.pollIntervalMs ?? 1_000);
    this.batchSize = whole("batchSize", options.batchSize ?? 20);
    this.concurrency = whole("concurrency", options.concurrency ?? 4);
    this.outbound = options.outbound ?? { allow: apiConfig().outboundAllow };
    this.wakeOnSignal = options.wakeOnSignal ?? true;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.onEvent = options.onEvent;
    this.loop = new IdleLoop({
      wakeOnSignal: this.wakeOnSignal,
      what: "webhook deliveries",
      pass: async () => {
        this.lastPass = null;
        this.lastPass = await this.runOnce();
        return this.lastPass.more;
      },
      idleWaitMs: (wakeable) => this.idleWaitMs(wakeable),
      onError: (message) => this.emit({ type: "error", message }),
    });
  }

  /** One pass over the tenants with due deliveries. */
  async runOnce(): Promise<DeliveryPassResult> {
    const pass = this.pass();
    this.passes.add(pass);
    try {
      return await pass;
    } finally {
      this.passes.delete(pass);
    }
  }

  start(): void {
    this.loop.start();
  }

  /** Stops the loop and waits for the deliveries in flight to be recorded. */
  async stop(): Promise<void> {
    this.loop.halt();
    await this.loop.finished();
    await Promise.allSettled([...this.passes]);
  }

  get running(): boolean {
    return this.loop.running;
  }

  /**
   * Until the next delivery is due (one query of the index), indefinitely when none waits, or
   * the poll interval when signals cannot reach this loop or a due tenant was not served (in
   * maintenance, suspended, or failing).
   */
  private async idleWaitMs(wakeable: boolean): Promise<number | null> {
    if (!wakeable || this.lastPass === null) return this.pollIntervalMs;
    let next: number | null;
    try {
      next = await tenantWorkModel.nextWebhooksDueAt();
    } catch (error) {
      this.emit({ type: "error", message: `Reading the next webhook due time failed: ${errorMessage(error)}` });
      return this.pollIntervalMs;
    }
    if (next === null) return null;
    const wait = next - this.now().getTime();
    return wait > 0 ? wait : this.pollIntervalMs;
  }

  private async pass(): Promise<DeliveryPassResult> {
    const result: DeliveryPassResult = { attempted: 0, delivered: 0, retried: 0, failed: 0, errors: [], more: false };
    const due = await tenantWorkModel.listDueWebhooks(this.now().getTime(), TENANTS_PER_PASS);
    result.more = due.length === TENANTS_PER_PASS;
    for (const tenant of due) {
      try {
        const claimed = await tenantContext.runWithTenant(tenant.tenantId, async () => {
          const rows = await webhookDeliveryModel.claimDue({ workerId: this.id, leaseMs: this.leaseMs }, this.batchSize, this.now());
          await this.sendAll(tenant, rows, result);
          return rows.length;
        });
        if (claimed === this.batchSize) result.more = true;
      } catch (error) {
        const message = `Webhook deliveries of tenant ${tenant.slug} could not be processed: ${errorMessage(error)}`;
        result.errors.push(message);
        this.emit({ type: "error", tenantSlug: tenant.slug, message });
      }
    }
    return result;
  }

  private async sendAll(tenant: { tenantId: string; slug: string }, rows: WebhookDeliveryRow[], result: DeliveryPassResult): Promise<void> {
    const queue = [...rows];
    const lane = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const status = await this.deliver(tenant, row);
        result.attempted += 1;
        if (status === "delivered") result.delivered += 1;
        else if (status === "retry") result.retried += 1;
        else result.failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, lane));
  }

  /** One attempt of one claimed delivery, inside its tenant's context. */
  private async deliver(tenant: { tenantId: string; slug: string }, row: WebhookDeliveryRow): Promise<"delivered" | "retry" | "failed"> {
    const started = performance.now();
    const attempt = await this.attempt(row);
    const durationMs = Math.round(performance.now() - started);
    const now = this.now();
    let outcome: DeliveryAttemptOutcome["result"];
    if (attempt.delivered) outcome = { status: "delivered" };
    else if (attempt.final) outcome = { status: "failed" };
    else {
      const retryAt = new Date(now.getTime() + retryDelayMs(row.attempts, this.random));
      outcome = retryAt < row.expiresAt ? { status: "retry", retryAt } : { status: "failed" };
    }
    const error =
      outcome.status === "failed" && !attempt.final && attempt.error ? `${attempt.error}; not delivered within 24 hours of the event` : attempt.error;
    let disabled = false;
    if (attempt.statusCode === 410) disabled = await this.disableWebhook(row.webhook);
    const recorded = await webhookDeliveryModel.recordAttempt(
      row.id,
      { workerId: this.id, attempt: row.attempts },
      { statusCode: attempt.statusCode, error, durationMs, result: outcome },
      now,
    );
    this.emit({
      type: "delivery",
      tenantId: tenant.tenantId,
      tenantSlug: tenant.slug,
      deliveryId: row.id,
      webhook: row.webhook,
      event: row.event,
      attempt: row.attempts,
      status: outcome.status,
      statusCode: attempt.statusCode,
      error,
      detail: attempt.detail,
      durationMs,
      disabled,
      recorded: recorded !== null,
    });
    return outcome.status;
  }

  /** The POST itself: never throws; says what happened in words the tenant may read. */
  private async attempt(
    row: WebhookDeliveryRow,
  ): Promise<{ delivered: boolean; final: boolean; statusCode: number | null; error: string | null; detail: string | null }> {
    const setting = await settingsModel.get("webhook", row.webhook);
    if (!setting) return { delivered: false, final: true, statusCode: null, error: "The webhook was deleted; the delivery is not sent.", detail: null };
    const url = typeof setting.payload.url === "string" ? setting.payload.url : "";
    let secret: string | undefined;
    try {
      secret = await settingsModel.revealSecret(setting, "secret");
    } catch (error) {
      return {
        delivered: false,
        final: false,
        statusCode: null,
        error: "The webhook's signing secret cannot be read; rotate it in Settings.",
        detail: errorMessage(error),
      };
    }
    if (!secret)
      return {
        delivered: false,
        final: true,
        statusCode: null,
        error: "The webhook has no signing secret; rotate its secret in Settings, then send it again.",
        detail: null,
      };
    const body = JSON.stringify(row.payload);
    const headers = {
      "content-type": "application/json",
      "user-agent": WEBHOOK_USER_AGENT,
      [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, body, Math.floor(this.now().getTime() / 1000)),
      [EVENT_ID_HEADER.toLowerCase()]: row.eventId,
      [EVENT_HEADER.toLowerCase()]: row.event,
    };
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await outboundRequest(url, { method: "POST", headers, body, signal: timeout, maxResponseBytes: MAX_RESPONSE_BYTES }, this.outbound);
      if (response.status >= 200 && response.status < 300) return { delivered: true, final: false, statusCode: response.status, error: null, detail: null };
      if (response.status === 410) {
        return { delivered: false, final: true, statusCode: 410, error: "The receiver answered 410 Gone: the webhook was disabled.", detail: null };
      }
      const redirect = response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : "";
      return { delivered: false, final: false, statusCode: response.status, error: `The receiver answered HTTP ${response.status}${redirect}.`, detail: null };
    } catch (error) {
      if (timeout.aborted) return { delivered: false, final: false, statusCode: null, error: `No answer within ${this.timeoutMs / 1000} s.`, detail: null };
      const detail = error instanceof OutboundUnreachableError ? error.detail : errorMessage(error);
      return { delivered: false, final: false, statusCode: null, error: "The destination could not be reached.", detail };
    }
  }

  /** A 410 Gone turns the webhook off (its settings stay, the admin can turn it on again). */
  private async disableWebhook(identifier: string): Promise<boolean> {
    try {
      const setting = await settingsModel.get("webhook", identifier);
      if (!setting || setting.payload.enabled !== true) return false;
      await settingsModel.upsert("webhook", identifier, { ...setting.payload, enabled: false });
      return true;
    } catch (error) {
      this.emit({ type: "error", message: `Webhook ${identifier} answered 410 Gone but could not be disabled: ${errorMessage(error)}` });
      return false;
    }
  }

  private emit(event: WebhookEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A broken logger must not stop deliveries from being recorded.
    }
  }
}

function whole(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`WebhookDeliverer: ${name} must be a whole number ≥ 1; got ${String(value)}.`);
  return value;
}
