import { randomBytes } from "node:crypto";
import { authenticateApiKey } from "@sigil/api";
import type { HybridDatabaseManager } from "@sigil/db";
import { type apiKeys, randomToken, sha256, takeRateLimitTokens, tenantContext, type TenantRow } from "@sigil/db";
import { progress, step } from "../lib/progress.ts";
import { median, percentile } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

const KEYS_PER_BATCH = 1_000;

interface KnownKey {
  plain: string;
  tenant: TenantRow;
}

/**
 * Stores `total` API keys spread over `tenants` (one owner user each) straight into shared.sqlite
 * in batches (the router's create path would hash and audit each: minutes for 100,000 keys), and
 * returns `sampleCount` of them with their plain text.
 */
async function storeKeys(
  manager: HybridDatabaseManager,
  tenants: { tenant: TenantRow; userId: string }[],
  total: number,
  sampleCount: number,
): Promise<KnownKey[]> {
  const samples: KnownKey[] = [];
  const storing = progress(`storing ${total.toLocaleString("en-US")} API keys`, total);
  for (let start = 0; start < total; start += KEYS_PER_BATCH) {
    const rows: (typeof apiKeys.$inferInsert)[] = [];
    for (let i = start; i < Math.min(total, start + KEYS_PER_BATCH); i += 1) {
      const owner = tenants[i % tenants.length];
      if (!owner) throw new Error("no tenant");
      const keyId = randomBytes(8).toString("hex");
      const secret = randomToken(32);
      const now = new Date();
      rows.push({
        id: crypto.randomUUID(),
        tenantId: owner.tenant.id,
        userId: owner.userId,
        name: `k${i}`,
        keyId,
        secretHash: sha256(secret),
        scopes: ["prompts:read" as const],
        createdAt: now,
        updatedAt: now,
      });
      if (i % Math.floor(total / sampleCount) === 0 && samples.length < sampleCount) samples.push({ plain: `sgl_${keyId}_${secret}`, tenant: owner.tenant });
    }
    await manager.sharedStore().session("write", async ({ db, t }) => {
      await db.insert(t.apiKeys).values(rows);
    });
    storing.tick(Math.min(total, start + KEYS_PER_BATCH));
  }
  storing.finish();
  return samples;
}

/**
 * Median and p99 of the rate-limit check every API-key request makes after authentication: one
 * upsert on the key's bucket and one on its tenant's (auth/rate-limit.ts of @sigil/api), with
 * limits high enough that none refuses.
 */
async function measureApiKeyRateLimits(samples: { plain: string; tenant: TenantRow }[]): Promise<BenchRow[]> {
  const rule = { capacity: 1_000_000_000, periodMs: 60_000 };
  const timings: number[] = [];
  for (const [index, sample] of [...samples, ...samples].entries()) {
    const started = performance.now();
    await takeRateLimitTokens([
      { key: `api-key:${sample.plain.slice(0, 16)}`, rule },
      { key: `api-tenant:${sample.tenant.id}`, rule },
    ]);
    if (index >= samples.length) timings.push((performance.now() - started) * 1000);
  }
  const label = "rate-limit check of an API-key request (key + tenant bucket)";
  return [
    { benchmark: `${label}: median`, value: median(timings), unit: "µs", note: `${label}: two upserts in one shared.sqlite transaction, n=${timings.length}` },
    { benchmark: `${label}: p99`, value: percentile(timings, 99), unit: "µs" },
  ];
}

/** Median and p99 of verifying a key (`authenticateApiKey`: parse, O(1) lookups, constant-time compare, owner check). */
export async function measureApiKeyVerification(
  manager: HybridDatabaseManager,
  tenants: { tenant: TenantRow; userId: string }[],
  total: number,
  sampleCount: number,
): Promise<BenchRow[]> {
  const samples = await storeKeys(manager, tenants, total, sampleCount);
  step(`verifying ${samples.length} keys (after a warm-up)`);
  const timings: number[] = [];
  for (const [index, sample] of [...samples, ...samples].entries()) {
    const micros = await tenantContext.runWithTenant(sample.tenant.id, async () => {
      const started = performance.now();
      await authenticateApiKey(sample.plain, sample.tenant);
      return (performance.now() - started) * 1000;
    });
    // The first pass warms the JIT and the page cache; only the second is measured.
    if (index >= samples.length) timings.push(micros);
  }
  const label = `verify an API key, ${total.toLocaleString("en-US")} keys stored`;
  const limits = await measureApiKeyRateLimits(samples);
  return [
    ...limits,
    {
      benchmark: `${label}: median`,
      value: median(timings),
      unit: "µs",
      target: { comparison: "<=", value: 50 },
      note: `${label}: authenticateApiKey (parse + SHA-256, key-id index lookups, constant-time compare, owner lookup), n=${timings.length}, timed inside the tenant context`,
    },
    { benchmark: `${label}: p99`, value: percentile(timings, 99), unit: "µs" },
  ];
}
