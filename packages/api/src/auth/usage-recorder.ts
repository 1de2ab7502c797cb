import { addApiKeyUsage, HybridDatabaseManager } from "@sigil/db";

type Batch = Map<string, { count: number; lastUsedAt: Date }>;

/**
 * API-key usage (count, last use) is buffered and written every few seconds in one transaction,
 * so authenticating a request never waits on a write. A batch belongs to the manager that served
 * its requests: it is never written into another data directory.
 */
class UsageRecorder {
  private pending: Batch = new Map();
  private manager: HybridDatabaseManager | undefined;
  private timer: NodeJS.Timeout | undefined;

  record(apiKeyId: string, at = new Date()): void {
    const manager = HybridDatabaseManager.getInstance();
    if (this.manager !== manager) void this.flush();
    this.manager = manager;
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
    const manager = this.manager;
    this.pending = new Map();
    this.manager = undefined;
    // A closed manager (tests, shutdown) takes its unwritten counts with it.
    if (!manager || manager.isClosed || batch.size === 0) return;
    try {
      await addApiKeyUsage(batch, manager);
    } catch (error) {
      console.error("Could not record API-key usage:", error);
    }
  }
}

export const apiKeyUsage = new UsageRecorder();
