import { settingsModel, type SettingRow } from "@sigil/db";
import { deleteSettingInput, providerIdentifierInput, providerKeyRequired, saveProviderInput, saveWebhookInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { refusedLiteralReason } from "../outbound/request.ts";
import type { OutboundAllowEntry } from "../outbound/allow-list.ts";
import { authedProcedure } from "../procedures.ts";
import { auditableUrl, recordAudit } from "../services/audit.ts";
import { assertDeployment, publicWebhook, saveWebhookSetting } from "../services/webhooks.ts";
import { router } from "../trpc.ts";
import { errorMessage } from "../worker/provider.ts";
import { configuredProvider, listModelNames, MODEL_LIST_TIMEOUT_MS } from "../services/configured-providers.ts";
import { storedProvider, storedProviderSchema } from "../worker/providers/settings.ts";

const adminOnly = authedProcedure({ role: "admin" });

/**
 * The stored provider shape (settings.type "provider"); the worker reads providers
 * (worker/providers/settings.ts, which also fills in the defaults of rows saved before kinds). The
 * model stores `apiKey` encrypted, with `apiKeyHint` (packages/db/src/models/settings.ts).
 * Webhooks: services/webhooks.ts.
 */

/** Credentials are write-only: after saving, only whether a key is set and its last 4 characters. */
function publicProvider(row: SettingRow) {
  const payload = storedProvider(row) ?? storedProviderSchema.parse({ baseUrl: "", defaultModel: "", active: false });
  return {
    identifier: row.identifier,
    kind: payload.kind,
    baseUrl: payload.baseUrl,
    defaultModel: payload.defaultModel,
    active: payload.active,
    maxConcurrency: payload.maxConcurrency,
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
    const before = existing ? storedProvider(existing) : null;
    // Without a new key the stored one is kept as it is (still encrypted, with its hint).
    const apiKey = input.apiKey ?? before?.apiKey ?? "";
    if (apiKey === "" && providerKeyRequired(input.kind)) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `Enter the provider's API key (a ${input.kind} provider needs one).` });
    }
    const row = await settingsModel.upsert("provider", input.identifier, {
      kind: input.kind,
      baseUrl: input.baseUrl,
      apiKey,
      ...(apiKey === "" ? { apiKeyHint: null } : {}),
      defaultModel: input.defaultModel,
      active: input.active,
      maxConcurrency: input.maxConcurrency,
    });
    // Never the key; the base URL only as its origin (a path or query may carry a token).
    await recordAudit(
      ctx,
      "settings.provider_saved",
      { type: "setting", id: row.id },
      {
        identifier: input.identifier,
        created: existing === null,
        kind: input.kind,
        baseUrl: auditableUrl(input.baseUrl),
        defaultModel: input.defaultModel,
        keyChanged: input.apiKey !== undefined,
        active: input.active,
        maxConcurrency: input.maxConcurrency,
      },
    );
    if (before && before.active !== input.active) {
      await recordAudit(
        ctx,
        input.active ? "settings.provider_activated" : "settings.provider_deactivated",
        { type: "setting", id: row.id },
        { identifier: input.identifier },
      );
    }
    return publicProvider(row);
  }),

  /** The provider's own model list (its list endpoint, through the outbound guard), for model pickers. */
  providerModels: adminOnly.input(providerIdentifierInput).query(async ({ ctx, input }) => {
    const { provider } = await configuredProvider(input.identifier, ctx.config.outboundAllow);
    return { identifier: input.identifier, models: await listModelNames(provider) };
  }),

  /**
   * "Test connection": one cheap real call (the provider's model list, which needs a valid key and
   * costs no tokens). Answers ok, or the provider's error in a sentence; never throws for the
   * provider's failure, so the form shows it in place.
   */
  testProvider: adminOnly.input(providerIdentifierInput).mutation(async ({ ctx, input }) => {
    const { row, provider } = await configuredProvider(input.identifier, ctx.config.outboundAllow);
    const started = performance.now();
    let result: { ok: true; message: string; models: number } | { ok: false; message: string };
    try {
      const models = await provider.listModels(AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS));
      result = {
        ok: true,
        message: `Connected to ${input.identifier} (${provider.kind}): ${models.length} model${models.length === 1 ? "" : "s"} available.`,
        models: models.length,
      };
    } catch (error) {
      result = { ok: false, message: errorMessage(error) };
    }
    const latencyMs = Math.round(performance.now() - started);
    await recordAudit(ctx, "settings.provider_tested", { type: "setting", id: row.id }, { identifier: input.identifier, ok: result.ok, latencyMs });
    return { ...result, latencyMs };
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
