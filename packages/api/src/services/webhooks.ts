import { deploymentModel, isWebhookEventType, settingsModel, type SettingRow, type WebhookDeliveryRow } from "@sigil/db";
import type { WEBHOOK_EVENTS } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { generateWebhookSecret } from "../webhooks/signature.ts";

type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A webhook as an admin sees it: never its secret, only whether one is set and its last 4 characters. */
export interface PublicWebhook {
  identifier: string;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  deploymentId: string | null;
  secretSet: boolean;
  secretHint: string | null;
  updatedAt: Date;
}

/**
 * Reads a stored webhook leniently: events Sigil does not send (the old `prompt.updated`, never
 * sent) are left out, so such rows still show and save; the next save stores the cleaned list.
 */
export function publicWebhook(row: SettingRow): PublicWebhook {
  const payload = row.payload;
  return {
    identifier: row.identifier,
    url: typeof payload.url === "string" ? payload.url : "",
    events: Array.isArray(payload.events) ? payload.events.filter(isWebhookEventType) : [],
    enabled: payload.enabled === true,
    deploymentId: typeof payload.deploymentId === "string" ? payload.deploymentId : null,
    secretSet: typeof payload.secret === "string" && payload.secret !== "",
    secretHint: typeof payload.secretHint === "string" ? payload.secretHint : null,
    updatedAt: row.updatedAt,
  };
}

/** The webhook `identifier` of the current tenant, or NOT_FOUND in words. */
export async function requireWebhook(identifier: string): Promise<SettingRow> {
  const row = await settingsModel.get("webhook", identifier);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No webhook "${identifier}" is configured.` });
  return row;
}

/** A deployment filter must name a deployment of this workspace. */
export async function assertDeployment(deploymentId: string | null | undefined): Promise<void> {
  if (!deploymentId) return;
  if (!(await deploymentModel.findById(deploymentId))) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `No deployment ${deploymentId} exists in this workspace; choose one from the list or "All deployments".`,
    });
  }
}

/**
 * Saves a webhook; a new one (or one saved before webhooks were signed) gets a signing secret,
 * returned in plain text this once. An existing secret is kept as stored (sealed).
 */
export async function saveWebhookSetting(
  input: { identifier: string; url: string; events: WebhookEvent[]; enabled: boolean; deploymentId?: string | null },
  existing: SettingRow | null,
): Promise<{ row: SettingRow; secret: string | null }> {
  const stored = existing?.payload.secret;
  const keep = typeof stored === "string" && stored !== "" ? stored : null;
  const secret = keep === null ? generateWebhookSecret() : null;
  const row = await settingsModel.upsert("webhook", input.identifier, {
    url: input.url,
    events: input.events,
    enabled: input.enabled,
    deploymentId: input.deploymentId ?? null,
    secret: keep ?? secret,
    ...(keep !== null && typeof existing?.payload.secretHint === "string" ? { secretHint: existing.payload.secretHint } : {}),
  });
  return { row, secret };
}

/** A new secret replaces the old one at once; returned in plain text this once. */
export async function rotateWebhookSecret(row: SettingRow): Promise<{ row: SettingRow; secret: string }> {
  const secret = generateWebhookSecret();
  const { secretHint: _old, ...rest } = row.payload;
  const saved = await settingsModel.upsert("webhook", row.identifier, { ...rest, secret });
  return { row: saved, secret };
}

/** A delivery as the log lists it (without its payload: up to 8 KB of result per row). */
export function listedDelivery(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    webhook: row.webhook,
    eventId: row.eventId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastDurationMs: row.lastDurationMs,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
    expiresAt: row.expiresAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}

/** One delivery with the event it sends (the tenant's own data). */
export function publicDelivery(row: WebhookDeliveryRow) {
  return { ...listedDelivery(row), payload: row.payload };
}
