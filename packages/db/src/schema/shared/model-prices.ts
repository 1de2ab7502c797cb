import { primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { updatedAt } from "../columns.ts";

/**
 * What a model costs (system data), in US dollars per million tokens, as the system administrator
 * set it. Sigil ships defaults in code; a row here replaces the default of its provider kind and
 * model, or prices a model the defaults do not know.
 */
export const modelPrices = sqliteTable(
  "model_prices",
  {
    /** The provider module (anthropic, openai, gemini, ollama, openai-compatible), not a tenant's provider name. */
    providerKind: text("provider_kind").notNull(),
    model: text("model").notNull(),
    inputUsdPerMillion: real("input_usd_per_million").notNull(),
    outputUsdPerMillion: real("output_usd_per_million").notNull(),
    /** The system administrator's email. */
    updatedBy: text("updated_by"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.providerKind, t.model] })],
);
