import { z } from "zod";
import { DEFAULT_MAX_CONCURRENCY, KEYLESS_KINDS, providerKind } from "./providers.ts";

/** Provider credentials: the key is write-only (never returned after saving). */
export const providerIdentifier = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use a short lower-case identifier.");
export const saveProviderInput = z
  .object({
    identifier: providerIdentifier,
    /** Which wire format the provider speaks (default: any OpenAI-compatible server, as before kinds existed). */
    kind: providerKind.default("openai-compatible"),
    baseUrl: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(500),
    /** Omit to keep the stored key; ollama and OpenAI-compatible servers may have none. */
    apiKey: z.string().min(1).max(500).optional(),
    defaultModel: z.string().trim().min(1).max(200),
    /** A deactivated provider refuses new executions; its queued ones fail. */
    active: z.boolean().default(true),
    /** Executions of this provider one worker runs at once for the workspace. */
    maxConcurrency: z.int().min(1, "Allow at least 1 execution at a time.").max(64, "Allow at most 64 executions at a time.").default(DEFAULT_MAX_CONCURRENCY),
  })
  .meta({ examples: [{ identifier: "claude", kind: "anthropic", baseUrl: "https://api.anthropic.com", defaultModel: "claude-sonnet-4-5" }] });
export const providerKeyRequired = (kind: z.infer<typeof providerKind>): boolean => !KEYLESS_KINDS.includes(kind);
export const providerIdentifierInput = z.object({ identifier: providerIdentifier });
/**
 * The events a webhook can receive (docs/webhooks.md). Stored webhooks that still name an event
 * Sigil no longer sends (the never-sent `prompt.updated`) keep it out of their list when read.
 */
export const WEBHOOK_EVENTS = ["execution.completed", "execution.failed", "batch.completed"] as const;
export const saveWebhookInput = z.object({
  identifier: providerIdentifier,
  url: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(500),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, "Choose at least one event."),
  enabled: z.boolean().default(true),
  /** Only events of this deployment's executions (null or omitted: every event). */
  deploymentId: z.string().min(1).max(100).nullish(),
});
export const webhookIdentifierInput = z.object({ identifier: providerIdentifier });
export const webhookDeliveriesInput = z.object({
  identifier: providerIdentifier,
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});
export const webhookDeliveryInput = z.object({ identifier: providerIdentifier, id: z.string().min(1).max(100) });
export const deleteSettingInput = z.object({ type: z.enum(["provider", "webhook"]), identifier: providerIdentifier });
