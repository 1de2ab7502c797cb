import { z } from "zod";

/** Provider credentials: the key is write-only (never returned after saving). */
export const providerIdentifier = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Use a short lower-case identifier.");
export const saveProviderInput = z.object({
  identifier: providerIdentifier,
  baseUrl: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(500),
  /** Omit to keep the stored key. */
  apiKey: z.string().min(1).max(500).optional(),
  defaultModel: z.string().trim().min(1).max(200),
});
export const WEBHOOK_EVENTS = ["execution.completed", "execution.failed", "prompt.updated"] as const;
export const saveWebhookInput = z.object({
  identifier: providerIdentifier,
  url: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL." }).max(500),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, "Choose at least one event."),
  enabled: z.boolean().default(true),
});
export const deleteSettingInput = z.object({ type: z.enum(["provider", "webhook"]), identifier: providerIdentifier });
