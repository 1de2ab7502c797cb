import { and, asc, eq } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { Session, SessionMode, Tables } from "../engine/session.ts";
import type { modelPrices } from "../schema/shared/model-prices.ts";

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
  private session<R>(mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    return HybridDatabaseManager.getInstance().sharedStore().session(mode, fn);
  }

  async list(): Promise<ModelPriceRow[]> {
    return this.session("read", ({ db, t }) => db.select().from(t.modelPrices).orderBy(asc(t.modelPrices.providerKind), asc(t.modelPrices.model)));
  }

  async listForKind(providerKind: string): Promise<ModelPriceRow[]> {
    return this.session("read", ({ db, t }) => db.select().from(t.modelPrices).where(eq(t.modelPrices.providerKind, providerKind)));
  }

  async find(providerKind: string, model: string): Promise<ModelPriceRow | null> {
    return this.session("read", async ({ db, t }) => {
      const [row] = await db
        .select()
        .from(t.modelPrices)
        .where(priceKey(t, providerKind, model));
      return row ?? null;
    });
  }

  /** Sets the price of a kind and model (insert or replace), returning the row before (null: none) and after. */
  async upsert(input: ModelPriceInput, now = new Date()): Promise<{ before: ModelPriceRow | null; after: ModelPriceRow }> {
    return this.session("write", async ({ db, t }) => {
      const [before] = await db
        .select()
        .from(t.modelPrices)
        .where(priceKey(t, input.providerKind, input.model));
      const values = { ...input, updatedAt: now };
      const [after] = await db
        .insert(t.modelPrices)
        .values(values)
        .onConflictDoUpdate({ target: [t.modelPrices.providerKind, t.modelPrices.model], set: values })
        .returning();
      if (!after) throw new Error("The price upsert returned no row.");
      return { before: before ?? null, after };
    });
  }

  /** Removes the administrator's price; returns the removed row, or null if there was none. */
  async remove(providerKind: string, model: string): Promise<ModelPriceRow | null> {
    return this.session("write", async ({ db, t }) => {
      const [row] = await db
        .delete(t.modelPrices)
        .where(priceKey(t, providerKind, model))
        .returning();
      return row ?? null;
    });
  }
}

function priceKey({ modelPrices }: Tables, providerKind: string, model: string) {
  return and(eq(modelPrices.providerKind, providerKind), eq(modelPrices.model, model));
}

export const modelPriceModel = new ModelPriceModel();
