import { modelPriceModel, type ModelPriceRow } from "@sigil/db";
import { costOf, type TokenPrice, type TokenUsage } from "./cost.ts";
import { DEFAULT_PRICES, priceKindOf, type PricedProviderKind } from "./defaults.ts";
import { matchPricedModel } from "./model-match.ts";

/** Where an effective price comes from: a code default, an administrator's override of one, or a model only the administrator priced. */
export type PriceSource = "default" | "override" | "custom";

export interface EffectivePrice extends TokenPrice {
  providerKind: PricedProviderKind;
  model: string;
  source: PriceSource;
  /** The code's default for this kind and model, if it has one (shown beside an override). */
  defaultPrice: TokenPrice | null;
  updatedBy: string | null;
  updatedAt: Date | null;
}

const key = (providerKind: string, model: string) => `${providerKind}\u0000${model}`;

/**
 * The price table in force: every default, replaced by the administrator's row of the same kind
 * and model, plus the models only the administrator priced. Sorted by kind, then model.
 */
export async function effectivePrices(): Promise<EffectivePrice[]> {
  return mergePrices(await modelPriceModel.list());
}

function mergePrices(rows: readonly ModelPriceRow[]): EffectivePrice[] {
  const table = new Map<string, EffectivePrice>();
  for (const entry of DEFAULT_PRICES) {
    const price = { inputUsdPerMillion: entry.inputUsdPerMillion, outputUsdPerMillion: entry.outputUsdPerMillion };
    table.set(key(entry.providerKind, entry.model), {
      ...entry,
      ...price,
      source: "default",
      defaultPrice: price,
      updatedBy: null,
      updatedAt: null,
    });
  }
  for (const row of rows) {
    const kind = priceKindOf(row.providerKind);
    // A row of a kind this version no longer prices stays in the table but prices nothing.
    if (kind === null || kind !== row.providerKind) continue;
    const defaultPrice = table.get(key(kind, row.model))?.defaultPrice ?? null;
    table.set(key(kind, row.model), {
      providerKind: kind,
      model: row.model,
      inputUsdPerMillion: row.inputUsdPerMillion,
      outputUsdPerMillion: row.outputUsdPerMillion,
      source: defaultPrice ? "override" : "custom",
      defaultPrice,
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
    });
  }
  return [...table.values()].sort((a, b) => a.providerKind.localeCompare(b.providerKind) || a.model.localeCompare(b.model));
}

/**
 * The price an execution of `model` on a provider of `providerKind` takes: the administrator's
 * row, else the default, matched by exact name, then by the dated-snapshot rule (model-match.ts).
 * Null for a kind that is never priced (template) or a model nobody priced.
 */
export async function priceFor(providerKind: string, model: string): Promise<(TokenPrice & { model: string; source: PriceSource }) | null> {
  const kind = priceKindOf(providerKind);
  if (kind === null) return null;
  const priced = new Map(
    mergePrices(await modelPriceModel.listForKind(kind))
      .filter((entry) => entry.providerKind === kind)
      .map((entry) => [entry.model, entry]),
  );
  const matched = matchPricedModel(model, priced);
  const entry = matched === null ? undefined : priced.get(matched);
  return entry
    ? { model: entry.model, source: entry.source, inputUsdPerMillion: entry.inputUsdPerMillion, outputUsdPerMillion: entry.outputUsdPerMillion }
    : null;
}

/**
 * What a finished execution cost in US dollars, with the prices in force now (when it finishes):
 * null without usage (the provider reported none) or without a price.
 */
export async function executionCost(providerKind: string, model: string, usage: TokenUsage | undefined): Promise<number | null> {
  if (!usage) return null;
  const price = await priceFor(providerKind, model);
  return price ? costOf(usage, price) : null;
}
