import { and, asc, eq } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { modelPrices } from "../schema/shared/model-prices.ts";

export type ModelPriceRow = typeof modelPrices.$inferSelect;

export interface ModelPriceInput {
  providerKind: string;
  model: string;
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
  /** The system administrator's email. */
  updatedBy: string | null;
}

/**
 * The system administrator's prices (system data in shared.sqlite, no tenant context). The
 * table's key is (provider kind, model) and it has no `id` or `created_at`, so this is not a
 * `SystemModel` (whose CRUD surface is by id); it reads and writes the shared database the same
 * way. The defaults and the matching of model names live in the API
 * (packages/api/src/services/pricing/).
 */
export class ModelPriceModel {
  private db() {
    return HybridDatabaseManager.getInstance().getSharedDatabase();
  }

  async list(): Promise<ModelPriceRow[]> {
    return this.db().select().from(modelPrices).orderBy(asc(modelPrices.providerKind), asc(modelPrices.model)).all();
  }

  async listForKind(providerKind: string): Promise<ModelPriceRow[]> {
    return this.db().select().from(modelPrices).where(eq(modelPrices.providerKind, providerKind)).all();
  }

  async find(providerKind: string, model: string): Promise<ModelPriceRow | null> {
    return this.db().select().from(modelPrices).where(this.key(providerKind, model)).get() ?? null;
  }

  /** Sets the price of a kind and model (insert or replace), returning the row before (null: none) and after. */
  async upsert(input: ModelPriceInput, now = new Date()): Promise<{ before: ModelPriceRow | null; after: ModelPriceRow }> {
    return this.db().transaction(
      (tx) => {
        const before = tx.select().from(modelPrices).where(this.key(input.providerKind, input.model)).get() ?? null;
        const values = { ...input, updatedAt: now };
        const after = tx
          .insert(modelPrices)
          .values(values)
          .onConflictDoUpdate({ target: [modelPrices.providerKind, modelPrices.model], set: values })
          .returning()
          .get();
        return { before, after };
      },
      { behavior: "immediate" },
    );
  }

  /** Removes the administrator's price; returns the removed row, or null if there was none. */
  async remove(providerKind: string, model: string): Promise<ModelPriceRow | null> {
    return this.db().delete(modelPrices).where(this.key(providerKind, model)).returning().get() ?? null;
  }

  private key(providerKind: string, model: string) {
    return and(eq(modelPrices.providerKind, providerKind), eq(modelPrices.model, model));
  }
}

export const modelPriceModel = new ModelPriceModel();
