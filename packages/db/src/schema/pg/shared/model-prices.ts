import { doublePrecision, primaryKey, text } from "drizzle-orm/pg-core";
import { updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";

/** What a model costs, per million tokens; mirrors ../../shared/model-prices.ts. */
export const modelPrices = sigilShared.table(
  "model_prices",
  {
    providerKind: text("provider_kind").notNull(),
    model: text("model").notNull(),
    inputUsdPerMillion: doublePrecision("input_usd_per_million").notNull(),
    outputUsdPerMillion: doublePrecision("output_usd_per_million").notNull(),
    updatedBy: text("updated_by"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.providerKind, t.model] })],
);
