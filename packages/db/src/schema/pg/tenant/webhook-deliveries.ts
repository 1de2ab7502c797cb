import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { WEBHOOK_DELIVERY_STATUSES } from "../../tenant/webhook-deliveries.ts";
import { createdAt, idColumn, jsonColumn, timestampColumn, updatedAt } from "../columns.ts";

/** The webhook delivery log; mirrors ../../tenant/webhook-deliveries.ts. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: idColumn(),
    webhook: text("webhook").notNull(),
    eventId: text("event_id").notNull(),
    event: text("event").notNull(),
    payload: jsonColumn<Record<string, unknown>>("payload").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestampColumn("next_attempt_at"),
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
