import { modelPriceModel, type ModelPriceRow } from "@sigil/db";
import type { SetModelPriceInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { DEFAULT_PRICES_TAKEN_ON } from "./defaults.ts";
import { effectivePrices, type EffectivePrice } from "./prices.ts";

export interface PriceTable {
  prices: EffectivePrice[];
  defaultsTakenOn: string;
}

/** The admin dashboard's Prices page. */
export async function priceTable(): Promise<PriceTable> {
  return { prices: await effectivePrices(), defaultsTakenOn: DEFAULT_PRICES_TAKEN_ON };
}

type PriceValues = Pick<ModelPriceRow, "inputUsdPerMillion" | "outputUsdPerMillion">;

/** Sets the administrator's price of a kind and model; returns the price before (null: the default or none) and the new one. */
export async function setModelPrice(input: SetModelPriceInput, adminEmail: string): Promise<{ before: PriceValues | null; after: EffectivePrice }> {
  const { before } = await modelPriceModel.upsert({ ...input, updatedBy: adminEmail });
  const after = (await effectivePrices()).find((price) => price.providerKind === input.providerKind && price.model === input.model);
  if (!after) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "The price was saved but could not be read back." });
  return { before: before && { inputUsdPerMillion: before.inputUsdPerMillion, outputUsdPerMillion: before.outputUsdPerMillion }, after };
}

/** Removes the administrator's price; NOT_FOUND when there is none (a default cannot be removed). */
export async function resetModelPrice(input: { providerKind: string; model: string }): Promise<ModelPriceRow> {
  const removed = await modelPriceModel.remove(input.providerKind, input.model);
  if (!removed) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `No administrator's price is set for ${input.providerKind} model "${input.model}"; a default price cannot be removed, only overridden.`,
    });
  }
  return removed;
}
