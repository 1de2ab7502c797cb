import { and, eq } from "drizzle-orm";
import { settings } from "../schema/shared/settings.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type SettingRow = RowOf<typeof settings>;

export class SettingsModel extends SharedModel<typeof settings> {
  constructor() {
    super(settings);
  }

  async get(type: string, identifier: string): Promise<SettingRow | null> {
    return this.findOne({ type, identifier });
  }

  /** Creates or replaces one setting atomically. */
  async upsert(type: string, identifier: string, payload: Record<string, unknown>): Promise<SettingRow> {
    return this.withDatabase("settings.upsert", (db) =>
      this.transaction(db, (tx) => {
        const existing = tx
          .select()
          .from(settings)
          .where(this.condition(and(eq(settings.type, type), eq(settings.identifier, identifier))))
          .get();
        if (existing) {
          const updated = tx
            .update(settings)
            .set({ payload, updatedAt: new Date() })
            .where(this.condition(eq(settings.id, existing.id)))
            .returning()
            .get();
          if (updated) return updated;
        }
        return this.createSync({ type, identifier, payload });
      }),
    );
  }
}

export const settingsModel = new SettingsModel();
