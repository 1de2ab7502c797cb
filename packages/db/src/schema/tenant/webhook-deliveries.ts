import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivering", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event sent to one webhook (the settings row `webhook/<identifier>` in shared.sqlite): the
 * delivery log. Written in the transaction of what caused the event; only the worker sends it,
 * retrying with backoff until it is delivered or `expires_at` (24 h) has passed.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: idColumn(),
    webhook: text("webhook").notNull(),
    /** The event's id, sent in a header: the receiver deduplicates retries with it. */
    eventId: text("event_id").notNull(),
    event: text("event").notNull(),
    payload: jsonColumn<Record<string, unknown>>("payload").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestampColumn("next_attempt_at"),
    /** After this the delivery is failed instead of retried. */
    expiresAt: timestampColumn("expires_at").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastDurationMs: integer("last_duration_ms"),
    claimedBy: text("claimed_by"),
    leaseExpiresAt: timestampColumn("lease_expires_at"),
    deliveredAt: timestampColumn("delivered_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_unique").on(t.webhook, t.eventId),
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_webhook_idx").on(t.webhook, t.createdAt),
  ],
);
