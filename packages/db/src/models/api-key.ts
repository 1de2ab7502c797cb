import { eq, sql } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { apiKeys } from "../schema/shared/api-keys.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type ApiKeyRow = RowOf<typeof apiKeys>;

export class ApiKeyModel extends SharedModel<typeof apiKeys> {
  constructor() {
    super(apiKeys);
  }

  /** O(1) lookup by the key's public id, within the current tenant. */
  async findByKeyId(keyId: string): Promise<ApiKeyRow | null> {
    return this.findOne({ keyId });
  }
}

export const apiKeyModel = new ApiKeyModel();

/** Adds buffered usage to keys (count and last use), in one transaction. Cross-tenant by design. */
export async function addApiKeyUsage(
  usage: ReadonlyMap<string, { count: number; lastUsedAt: Date }>,
  manager: HybridDatabaseManager = HybridDatabaseManager.getInstance(),
): Promise<void> {
  if (usage.size === 0) return;
  await manager.sharedStore().session("write", async ({ db, t }) => {
    for (const [id, { count, lastUsedAt }] of usage) {
      await db
        .update(t.apiKeys)
        .set({ usageCount: sql`${t.apiKeys.usageCount} + ${count}`, lastUsedAt })
        .where(eq(t.apiKeys.id, id));
    }
  });
}
