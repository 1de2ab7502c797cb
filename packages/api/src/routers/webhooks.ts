import { InvalidQueryError, WEBHOOK_TEST_EVENT, webhookDeliveryModel } from "@sigil/db";
import { webhookDeliveriesInput, webhookDeliveryInput, webhookIdentifierInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { listedDelivery, publicDelivery, publicWebhook, requireWebhook, rotateWebhookSecret } from "../services/webhooks.ts";
import { router } from "../trpc.ts";

const adminOnly = authedProcedure({ role: "admin" });

/**
 * A webhook's delivery log, test event, redelivery and secret rotation (admins). The webhooks
 * themselves are saved through the settings router; sending happens only in the worker
 * (src/worker/webhook-deliverer.ts): these procedures queue and read.
 */
export const webhooksRouter = router({
  deliveries: adminOnly.input(webhookDeliveriesInput).query(async ({ input }) => {
    await requireWebhook(input.identifier);
    const page = await webhookDeliveryModel.listForWebhook(input.identifier, input.page, input.pageSize);
    return { ...page, data: page.data.map(listedDelivery) };
  }),

  delivery: adminOnly.input(webhookDeliveryInput).query(async ({ input }) => {
    await requireWebhook(input.identifier);
    const row = await webhookDeliveryModel.findForWebhook(input.id, input.identifier);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Webhook "${input.identifier}" has no delivery ${input.id}.` });
    return publicDelivery(row);
  }),

  /** Queues a `ping` event to this webhook only (enabled or not); the worker sends it like any other. */
  sendTest: adminOnly.input(webhookIdentifierInput).mutation(async ({ input }) => {
    const webhook = publicWebhook(await requireWebhook(input.identifier));
    const [row] = await webhookDeliveryModel.queue(
      WEBHOOK_TEST_EVENT,
      { message: "A test event sent from Sigil's settings.", webhook: webhook.identifier },
      { webhooks: [webhook.identifier] },
    );
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No webhook "${input.identifier}" is configured.` });
    return publicDelivery(row);
  }),

  redeliver: adminOnly.input(webhookDeliveryInput).mutation(async ({ ctx, input }) => {
    await requireWebhook(input.identifier);
    let row;
    try {
      row = await webhookDeliveryModel.redeliver(input.id, input.identifier);
    } catch (error) {
      if (error instanceof InvalidQueryError) throw new TRPCError({ code: "CONFLICT", message: error.message });
      throw error;
    }
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Webhook "${input.identifier}" has no delivery ${input.id}.` });
    await recordAudit(ctx, "webhooks.redelivered", { type: "webhook_delivery", id: row.id }, { identifier: input.identifier, event: row.event });
    return publicDelivery(row);
  }),

  /** A new signing secret, shown this once; the old one stops signing at once. */
  rotateSecret: adminOnly.input(webhookIdentifierInput).mutation(async ({ ctx, input }) => {
    const { row, secret } = await rotateWebhookSecret(await requireWebhook(input.identifier));
    await recordAudit(ctx, "webhooks.secret_rotated", { type: "setting", id: row.id }, { identifier: input.identifier });
    return { webhook: publicWebhook(row), secret };
  }),
});
