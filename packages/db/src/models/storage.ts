import { sql } from "drizzle-orm";
import { QuotaExceededError } from "../errors.ts";
import { tenantStats } from "../schema/tenant/tenant-stats.ts";
import { tenantContext } from "../tenant-context.ts";
import type { SyncDatabase } from "./base-model.ts";

/**
 * The bytes the tenant stores against the plan's storage limit: files and dataset items, as the
 * storage triggers count them (tenant migrations 0002 and 0003) in `tenant_stats`.
 */
export function readStoredBytes(db: SyncDatabase): number {
  const row = db
    .select({ bytes: sql<number>`coalesce(${tenantStats.storageBytes}, 0)` })
    .from(tenantStats)
    .where(sql`${tenantStats.id} = 1`)
    .get();
  return row?.bytes ?? 0;
}

/** The current tenant's stored bytes (files and dataset items). */
export function storedBytes(): number {
  return tenantContext.withTenantDatabase("storage.storedBytes", readStoredBytes);
}

/**
 * Refuses, inside the caller's IMMEDIATE transaction, a write that adds `adding` bytes beyond
 * `limitBytes`; `what` names the write and its size ("Storing 2.0 MB", "Adding 50 items (12.0 KB)").
 */
export function assertStorageRoom(db: SyncDatabase, adding: number, limitBytes: number, what: string): void {
  const used = readStoredBytes(db);
  if (adding > 0 && used + adding > limitBytes) {
    throw new QuotaExceededError(
      "storage",
      limitBytes,
      used,
      `${what} would exceed the plan's ${formatBytes(limitBytes)} of storage (${formatBytes(used)} used).`,
    );
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
