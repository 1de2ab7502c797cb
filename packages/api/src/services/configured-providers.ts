import { settingsModel, type SettingRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { OutboundAllowEntry } from "../outbound/allow-list.ts";
import { errorMessage } from "../worker/provider.ts";
import { HttpProvider } from "../worker/providers/http-provider.ts";
import { settingsOfRow, storedProvider } from "../worker/providers/settings.ts";

/** How long a request waits for a provider's model list. */
export const MODEL_LIST_TIMEOUT_MS = 15_000;

/**
 * A configured provider of the current tenant, ready to call (no retries: a person is waiting),
 * with its settings row. `activeOnly` (members' routes): a deactivated provider is a 404 too.
 */
export async function configuredProvider(
  identifier: string,
  allow: readonly OutboundAllowEntry[],
  options: { activeOnly?: boolean } = {},
): Promise<{ row: SettingRow; provider: HttpProvider }> {
  const row = await settingsModel.get("provider", identifier);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `No ${options.activeOnly ? "active " : ""}provider "${identifier}" is configured.` });
  if (options.activeOnly && storedProvider(row)?.active !== true) {
    throw new TRPCError({ code: "NOT_FOUND", message: `No active provider "${identifier}" is configured.` });
  }
  try {
    const settings = await settingsOfRow(row);
    return { row, provider: new HttpProvider(identifier, settings, { outbound: { allow }, timeoutMs: MODEL_LIST_TIMEOUT_MS, maxAttempts: 1 }) };
  } catch (error) {
    throw new TRPCError({ code: "BAD_REQUEST", message: errorMessage(error), cause: error });
  }
}

/** The provider's own model list (its list endpoint, through the outbound guard); a 502 saying why when it cannot be read. */
export async function listModelNames(provider: HttpProvider): Promise<string[]> {
  try {
    return await provider.listModels(AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS));
  } catch (error) {
    throw new TRPCError({ code: "BAD_GATEWAY", message: `The model list could not be fetched: ${errorMessage(error)}`, cause: error });
  }
}
