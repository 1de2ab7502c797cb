import { eq } from "drizzle-orm";
import type { Session } from "../engine/session.ts";
import { QuotaExceededError } from "../errors.ts";
import { tenantContext } from "../tenant-context.ts";

/**
 * The bytes the tenant stores against the plan's storage limit: files and dataset items, as the
 * storage triggers count them (tenant migrations 0002 and 0003) in `tenant_stats`.
 */
export async function readStoredBytes(s: Session): Promise<number> {
  const { tenantStats } = s.t;
  // The column itself, not an expression over it: each driver then reads it back as a number.
  const [row] = await s.db.select({ bytes: tenantStats.storageBytes }).from(tenantStats).where(eq(tenantStats.id, 1));
  return row?.bytes ?? 0;
}

/** The current tenant's stored bytes (files and dataset items). */
export async function storedBytes(): Promise<number> {
  return tenantContext.withTenantStore("storage.storedBytes", (store) => store.session("read", readStoredBytes));
}

/**
 * Refuses, inside the caller's write session, a write that adds `adding` bytes beyond
 * `limitBytes`; `what` names the write and its size ("Storing 2.0 MB", "Adding 50 items (12.0 KB)").
 */
export async function assertStorageRoom(s: Session, adding: number, limitBytes: number, what: string): Promise<void> {
  const used = await readStoredBytes(s);
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
