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
