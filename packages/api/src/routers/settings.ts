import { settingsModel, type SettingRow } from "@sigil/db";
import { deleteSettingInput, saveProviderInput, saveWebhookInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { refusedLiteralReason } from "../outbound/request.ts";
import type { OutboundAllowEntry } from "../outbound/allow-list.ts";
import { authedProcedure } from "../procedures.ts";
import { auditableUrl, recordAudit } from "../services/audit.ts";
import { assertDeployment, publicWebhook, saveWebhookSetting } from "../services/webhooks.ts";
import { router } from "../trpc.ts";

const adminOnly = authedProcedure({ role: "admin" });

/**
 * The stored provider shape (settings.type "provider"); the worker reads providers. The model
 * stores `apiKey` encrypted, with `apiKeyHint` (packages/db/src/models/settings.ts). Webhooks:
 * services/webhooks.ts.
 */
export const providerPayload = z.object({ baseUrl: z.string(), apiKey: z.string(), apiKeyHint: z.string().nullish(), defaultModel: z.string() });

/** Credentials are write-only: after saving, only whether a key is set and its last 4 characters. */
function publicProvider(row: SettingRow) {
  const parsed = providerPayload.safeParse(row.payload);
  const payload = parsed.success ? parsed.data : { baseUrl: "", apiKey: "", apiKeyHint: null, defaultModel: "" };
  return {
    identifier: row.identifier,
    baseUrl: payload.baseUrl,
    defaultModel: payload.defaultModel,
    apiKeySet: payload.apiKey.length > 0,
    apiKeyHint: payload.apiKeyHint ?? null,
    updatedAt: row.updatedAt,
  };
}

/** A URL on an address the outbound guard always refuses is refused when saved, with the reason. */
function assertReachableLiteral(what: string, url: string, allow: readonly OutboundAllowEntry[]): void {
  const reason = refusedLiteralReason(url, allow);
  if (reason === null) return;
  throw new TRPCError({
    code: "BAD_REQUEST",
    message:
      `The ${what} points to ${reason}; Sigil connects only to public addresses. ` +
      `For a model server on this machine or network, the operator can allow its host:port with SIGIL_OUTBOUND_ALLOW.`,
  });
}

export const settingsRouter = router({
  list: adminOnly.query(async () => {
    const rows = await settingsModel.findMany({ orderBy: { column: "identifier" } });
    return {
      providers: rows.filter((row) => row.type === "provider").map(publicProvider),
      webhooks: rows.filter((row) => row.type === "webhook").map(publicWebhook),
    };
  }),

  saveProvider: adminOnly.input(saveProviderInput).mutation(async ({ ctx, input }) => {
    assertReachableLiteral("base URL", input.baseUrl, ctx.config.outboundAllow);
    const existing = await settingsModel.get("provider", input.identifier);
    // Without a new key the stored one is kept as it is (still encrypted, with its hint).
    const storedKey = existing ? providerPayload.safeParse(existing.payload).data?.apiKey : undefined;
    const apiKey = input.apiKey ?? storedKey;
    if (!apiKey) throw new TRPCError({ code: "BAD_REQUEST", message: "Enter the provider's API key." });
    const row = await settingsModel.upsert("provider", input.identifier, { baseUrl: input.baseUrl, apiKey, defaultModel: input.defaultModel });
    // Never the key; the base URL only as its origin (a path or query may carry a token).
    await recordAudit(
      ctx,
      "settings.provider_saved",
      { type: "setting", id: row.id },
      {
        identifier: input.identifier,
        created: existing === null,
        baseUrl: auditableUrl(input.baseUrl),
        defaultModel: input.defaultModel,
        keyChanged: input.apiKey !== undefined,
      },
    );
    return publicProvider(row);
  }),

  saveWebhook: adminOnly.input(saveWebhookInput).mutation(async ({ ctx, input }) => {
    assertReachableLiteral("webhook URL", input.url, ctx.config.outboundAllow);
    await assertDeployment(input.deploymentId);
    const existing = await settingsModel.get("webhook", input.identifier);
    // A new webhook's signing secret is returned this once (never again: webhooks.rotateSecret makes a new one).
    const { row, secret } = await saveWebhookSetting(input, existing);
    // A webhook URL is often a credential itself (Slack, Discord): only its origin is kept.
    await recordAudit(
      ctx,
      "settings.webhook_saved",
      { type: "setting", id: row.id },
      {
        identifier: input.identifier,
        created: existing === null,
        url: auditableUrl(input.url),
        events: input.events,
        enabled: input.enabled,
        deploymentId: input.deploymentId ?? null,
      },
    );
    return { ...publicWebhook(row), secret };
  }),

  delete: adminOnly.input(deleteSettingInput).mutation(async ({ ctx, input }) => {
    const row = await settingsModel.get(input.type, input.identifier);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No ${input.type} "${input.identifier}" is configured.` });
    await settingsModel.delete(row.id);
    await recordAudit(ctx, "settings.deleted", { type: "setting", id: row.id }, { type: input.type, identifier: input.identifier });
    return { ok: true as const };
  }),
});
