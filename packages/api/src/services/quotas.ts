import { executionModel, storedBytes, utcMonth, type TenantRow } from "@sigil/db";

/**
 * Plan limits as the content routers read them. Enforcement itself is atomic in the models
 * (`fileModel.storeWithinQuota`, `executionModel.createWithinMonthlyLimit`: count and insert in one
 * IMMEDIATE transaction); these helpers only report usage and must never be used as a
 * check-then-insert guard, which parallel requests would overshoot.
 */

const BYTES_PER_MB = 1024 * 1024;

/** The storage limit in bytes: `limitStorageMb` MiB. */
export function storageLimitBytes(tenant: Pick<TenantRow, "limitStorageMb">): number {
  return tenant.limitStorageMb * BYTES_PER_MB;
}

export interface StorageUsage {
  usedBytes: number;
  limitBytes: number;
  remainingBytes: number;
  limitMb: number;
}

export async function storageUsage(tenant: Pick<TenantRow, "limitStorageMb">): Promise<StorageUsage> {
  // Files and dataset items (the storage triggers' running total).
  const usedBytes = await storedBytes();
  const limitBytes = storageLimitBytes(tenant);
  return { usedBytes, limitBytes, remainingBytes: Math.max(0, limitBytes - usedBytes), limitMb: tenant.limitStorageMb };
}

export interface MonthlyExecutionUsage {
  used: number;
  limit: number;
  remaining: number;
  /** The calendar month (UTC) being counted, [from, to). */
  periodStart: Date;
  periodEnd: Date;
}

export async function monthlyExecutionUsage(tenant: Pick<TenantRow, "limitExecutionsPerMonth">, now = new Date()): Promise<MonthlyExecutionUsage> {
  const { from, to } = utcMonth(now);
  // The month's usage counter, not the live rows: deleting a prompt must not hand executions back.
  const used = await executionModel.countThisMonth(now);
  const limit = tenant.limitExecutionsPerMonth;
  return { used, limit, remaining: Math.max(0, limit - used), periodStart: from, periodEnd: to };
}

export interface MonthlyTokenUsage {
  /** Input + output tokens of the executions that finished this month (UTC). */
  used: number;
  /** The plan's token budget; null: none. */
  limit: number | null;
  remaining: number | null;
  periodStart: Date;
  periodEnd: Date;
}

export async function monthlyTokenUsage(tenant: Pick<TenantRow, "limitTokensPerMonth">, now = new Date()): Promise<MonthlyTokenUsage> {
  const { from, to } = utcMonth(now);
  const used = await executionModel.tokensThisMonth(now);
  const limit = tenant.limitTokensPerMonth;
  return { used, limit, remaining: limit === null ? null : Math.max(0, limit - used), periodStart: from, periodEnd: to };
}
