import { addApiKeyUsage } from "@sigil/db";

/**
 * API-key usage (count, last use) is buffered and written every few seconds in one transaction,
 * so authenticating a request never waits on a write.
 */
class UsageRecorder {
  private pending = new Map<string, { count: number; lastUsedAt: Date }>();
  private timer: NodeJS.Timeout | undefined;

  record(apiKeyId: string, at = new Date()): void {
    const entry = this.pending.get(apiKeyId);
    if (entry) {
      entry.count += 1;
      entry.lastUsedAt = at;
    } else this.pending.set(apiKeyId, { count: 1, lastUsedAt: at });
    this.timer ??= setTimeout(() => void this.flush(), 2_000).unref();
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await addApiKeyUsage(batch);
    } catch (error) {
      console.error("Could not record API-key usage:", error);
    }
  }
}

export const apiKeyUsage = new UsageRecorder();
