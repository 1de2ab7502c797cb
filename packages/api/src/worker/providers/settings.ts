import { SecretUnreadableError, settingsModel, type SettingRow } from "@sigil/db";
import { DEFAULT_MAX_CONCURRENCY, providerKind, providerKeyRequired, type ProviderKind } from "@sigil/validators";
import { z } from "zod";
import { PROVIDER_SETTING_TYPE } from "../../services/executions.ts";
import { ExecutionFailure } from "../provider.ts";

/**
 * The settings row `provider/<identifier>` as the settings router stores it. Rows saved before
 * kinds existed have no kind, active flag or concurrency: they are OpenAI-compatible servers,
 * active, with the default concurrency.
 */
export const storedProviderSchema = z.object({
  kind: providerKind.default("openai-compatible"),
  baseUrl: z.string(),
  apiKey: z.string().default(""),
  apiKeyHint: z.string().nullish(),
  defaultModel: z.string(),
  active: z.boolean().default(true),
  maxConcurrency: z.int().min(1).default(DEFAULT_MAX_CONCURRENCY),
});
export type StoredProvider = z.infer<typeof storedProviderSchema>;

/** What a provider module needs to call its API (the key in plain text). */
export const providerSettingsSchema = z.object({
  kind: providerKind,
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string(),
  defaultModel: z.string().trim().min(1),
  active: z.boolean(),
  maxConcurrency: z.int().min(1),
});
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

/** The stored payload with defaults for rows saved before kinds existed; null when malformed. */
export function storedProvider(row: SettingRow): StoredProvider | null {
  const parsed = storedProviderSchema.safeParse(row.payload);
  return parsed.success ? parsed.data : null;
}

/**
 * Reads and validates the current tenant's settings `provider/<identifier>`. Must run inside the
 * tenant's context (settings are scoped to it). Missing or malformed settings fail with a message
 * naming what to fix; the stored values (the key above all) are never echoed.
 */
export async function loadProviderSettings(identifier: string): Promise<ProviderSettings> {
  const row = await settingsModel.get(PROVIDER_SETTING_TYPE, identifier);
  if (!row) {
    throw new ExecutionFailure(
      `No provider "${identifier}" is configured for this tenant: an admin must save the provider settings ` +
        `"${identifier}" (kind, base URL, API key, default model), or use the built-in "template" provider.`,
    );
  }
  return settingsOfRow(row);
}

export async function settingsOfRow(row: SettingRow): Promise<ProviderSettings> {
  let apiKey: string | undefined;
  try {
    apiKey = await settingsModel.revealSecret(row, "apiKey");
  } catch (error) {
    if (!(error instanceof SecretUnreadableError)) throw error;
    // The tenant gets what to do; the operator's side (which key is missing) is in error.message.
    throw new ExecutionFailure(
      `The API key of provider "${row.identifier}" cannot be decrypted by this installation (its secret key changed or the ` +
        `value was altered): an admin must save the provider's key again.`,
      { cause: error },
    );
  }
  // The defaults of rows saved before kinds existed, under whatever the row says.
  const defaults = { kind: "openai-compatible", active: true, maxConcurrency: DEFAULT_MAX_CONCURRENCY };
  const parsed = providerSettingsSchema.safeParse({ ...defaults, ...row.payload, apiKey: apiKey ?? "" });
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(settings)"))].join(", ");
    throw new ExecutionFailure(`The settings of provider "${row.identifier}" are incomplete or malformed (${fields}): an admin must save them again.`);
  }
  if (parsed.data.apiKey === "" && providerKeyRequired(parsed.data.kind)) {
    throw new ExecutionFailure(`Provider "${row.identifier}" (${parsed.data.kind}) has no API key: an admin must save one.`);
  }
  return parsed.data;
}

export type { ProviderKind };
