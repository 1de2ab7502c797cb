import { PRICED_PROVIDER_KINDS } from "@sigil/validators";

/**
 * Sigil's default prices: the providers' public list prices in US dollars per million tokens
 * (standard tier, text, no prompt caching or batch discount), as published on the date below.
 * The system administrator overrides any of them, or prices other models, on the admin
 * dashboard's Prices page (the `model_prices` table); an override wins over a default.
 *
 * Only kinds whose price is public have defaults: a self-hosted Ollama or OpenAI-compatible
 * server, and the built-in template provider, cost what their operator says, so their executions
 * have no cost until the administrator sets one.
 */

/** When these list prices were taken from the providers' pricing pages (UTC date). */
export const DEFAULT_PRICES_TAKEN_ON = "2026-03-21";

export type PricedProviderKind = (typeof PRICED_PROVIDER_KINDS)[number];

export interface DefaultPrice {
  providerKind: PricedProviderKind;
  model: string;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
}

const price = (providerKind: PricedProviderKind, model: string, inputUsdPerMillion: number, outputUsdPerMillion: number): DefaultPrice => ({
  providerKind,
  model,
  inputUsdPerMillion,
  outputUsdPerMillion,
});

/**
 * Model names are the providers' aliases without a date: a dated snapshot such as
 * `claude-sonnet-4-5-20250929` or `gpt-4o-2024-08-06` takes its alias's price (model-match.ts).
 */
export const DEFAULT_PRICES: readonly DefaultPrice[] = [
  // Anthropic (docs.anthropic.com, "Pricing").
  price("anthropic", "claude-opus-4-6", 5, 25),
  price("anthropic", "claude-sonnet-4-6", 3, 15),
  price("anthropic", "claude-opus-4-5", 5, 25),
  price("anthropic", "claude-sonnet-4-5", 3, 15),
  price("anthropic", "claude-haiku-4-5", 1, 5),
  price("anthropic", "claude-opus-4-1", 15, 75),
  price("anthropic", "claude-opus-4", 15, 75),
  price("anthropic", "claude-sonnet-4", 3, 15),
  price("anthropic", "claude-3-7-sonnet", 3, 15),
  price("anthropic", "claude-3-5-haiku", 0.8, 4),
  price("anthropic", "claude-3-haiku", 0.25, 1.25),
  // OpenAI (platform.openai.com, "Pricing"); the Responses API bills the same as Chat Completions.
  price("openai", "gpt-5.1", 1.25, 10),
  price("openai", "gpt-5", 1.25, 10),
  price("openai", "gpt-5-mini", 0.25, 2),
  price("openai", "gpt-5-nano", 0.05, 0.4),
  price("openai", "gpt-4.1", 2, 8),
  price("openai", "gpt-4.1-mini", 0.4, 1.6),
  price("openai", "gpt-4.1-nano", 0.1, 0.4),
  price("openai", "gpt-4o", 2.5, 10),
  price("openai", "gpt-4o-mini", 0.15, 0.6),
  price("openai", "o3", 2, 8),
  price("openai", "o3-mini", 1.1, 4.4),
  price("openai", "o4-mini", 1.1, 4.4),
  price("openai", "o1", 15, 60),
  // Google Gemini API (ai.google.dev, "Gemini Developer API pricing"), paid tier; 2.5 Pro's
  // price for prompts up to 200k tokens (longer prompts cost more: override it if yours are).
  price("gemini", "gemini-2.5-pro", 1.25, 10),
  price("gemini", "gemini-2.5-flash", 0.3, 2.5),
  price("gemini", "gemini-2.5-flash-lite", 0.1, 0.4),
  price("gemini", "gemini-2.0-flash", 0.1, 0.4),
  price("gemini", "gemini-2.0-flash-lite", 0.075, 0.3),
];

/**
 * The price table a provider kind uses: the OpenAI Responses API (`openai-responses`) bills like
 * Chat Completions, so it shares the `openai` prices. Null for kinds that are never priced
 * (the built-in `template` provider, or an unknown kind).
 */
export function priceKindOf(providerKind: string): PricedProviderKind | null {
  if (providerKind === "openai-responses") return "openai";
  return (PRICED_PROVIDER_KINDS as readonly string[]).includes(providerKind) ? (providerKind as PricedProviderKind) : null;
}
