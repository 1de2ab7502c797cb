import { z } from "zod";

/** The provider kinds a price can be set for (the built-in template provider is never priced). */
export const PRICED_PROVIDER_KINDS = ["anthropic", "openai", "gemini", "ollama", "openai-compatible"] as const;
export const pricedProviderKind = z.enum(PRICED_PROVIDER_KINDS, {
  error: `Choose one of the provider kinds: ${PRICED_PROVIDER_KINDS.join(", ")}.`,
});

/** A model name as providers spell them: no spaces, at most 200 characters. */
export const priceModelName = z
  .string()
  .trim()
  .min(1, "Enter the model's name, e.g. gpt-4o or claude-sonnet-4-5.")
  .max(200, "A model name is at most 200 characters.")
  .regex(/^\S+$/, "A model name has no spaces.");

/** The dearest list price today is far below this; a larger number is a typo. */
export const MAX_USD_PER_MILLION = 10_000;
const usdPerMillion = (which: string) =>
  z
    .number({ error: `Enter the ${which} price in US dollars per million tokens.` })
    .finite()
    .min(0, `The ${which} price cannot be negative.`)
    .max(MAX_USD_PER_MILLION, `The ${which} price is at most $${MAX_USD_PER_MILLION.toLocaleString("en-US")} per million tokens.`);

export const setModelPriceInput = z.object({
  providerKind: pricedProviderKind,
  model: priceModelName,
  inputUsdPerMillion: usdPerMillion("input"),
  outputUsdPerMillion: usdPerMillion("output"),
});
export type SetModelPriceInput = z.infer<typeof setModelPriceInput>;

export const resetModelPriceInput = z.object({ providerKind: pricedProviderKind, model: priceModelName });

/** The longest range the usage dashboard aggregates at once. */
export const MAX_USAGE_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
const isoDay = (which: string) =>
  z
    .string({ error: `Give the ${which} date as YYYY-MM-DD.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Give the ${which} date as YYYY-MM-DD.`)
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
      message: `The ${which} date is not a real calendar date.`,
    });

/** A range of whole UTC days, both ends included. */
export const usageSummaryInput = z
  .object({ from: isoDay("start"), to: isoDay("end") })
  .refine((range) => range.from <= range.to, { message: "The start date must not be after the end date.", path: ["from"] })
  .refine((range) => (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS < MAX_USAGE_RANGE_DAYS, {
    message: `Choose at most ${MAX_USAGE_RANGE_DAYS} days.`,
    path: ["to"],
  });
export type UsageSummaryInput = z.infer<typeof usageSummaryInput>;
