/**
 * API benchmarks (issue: tRPC API). In a temporary DATA_DIR, deleted at the end:
 * 1. API-key verification with 100,000 keys stored over 100 tenants;
 * 2. a tenant-scoped procedure called in-process with and without the tenancy layer;
 * 3. an API-key read (one prompt, a page) through the app router against its queries run bare.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiKeyUsage } from "@sigil/api";
import { HybridDatabaseManager, promptModel, tenantContext, tenantModel, userModel, type TenantRow } from "@sigil/db";
import { measureApiKeyVerification } from "./api/api-key-verification.ts";
import { measureRequestReadCost } from "./api/request-read-cost.ts";
import { measureTenancyOverhead } from "./api/tenancy-overhead.ts";
import { progress } from "./lib/progress.ts";
import type { BenchRow } from "./lib/types.ts";

const TENANTS = 100;
const KEYS = 100_000;
const KEY_SAMPLES = 2_000;
const CALLS = 20_000;

async function createTenants(): Promise<{ tenant: TenantRow; userId: string }[]> {
  const created: { tenant: TenantRow; userId: string }[] = [];
  const creating = progress(`creating ${TENANTS} tenants`, TENANTS);
  for (let i = 0; i < TENANTS; i += 1) {
    const tenant = await tenantModel.createTenant({
      name: `Bench ${i}`,
      slug: `bench-${i}`,
      plan: "pro",
      settings: { features: [], limits: { users: 10, storage: 100, executions_per_month: 1000 } },
    });
    const user = await tenantContext.runWithTenant(tenant.id, () =>
      userModel.create({ email: `owner@bench-${i}.test`, name: "Owner", role: "admin", status: "active" }),
    );
    created.push({ tenant, userId: user.id });
    creating.tick(i + 1);
  }
  creating.finish();
  return created;
}

export async function apiBenchmarks(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-api-"));
  const manager = HybridDatabaseManager.configure({ dataDir: join(root, "data") });
  try {
    await manager.runSharedMigrations();
    const tenants = await createTenants();
    const rows = await measureApiKeyVerification(manager, tenants, KEYS, KEY_SAMPLES);
    const first = tenants[0];
    if (!first) throw new Error("no tenant");
    await tenantContext.runWithTenant(first.tenant.id, async () => {
      for (let i = 0; i < 50; i += 1) await promptModel.create({ name: `Prompt ${i}`, template: `Hello {{name}} #${i}` });
    });
    rows.push(...(await measureTenancyOverhead(manager, first.tenant, CALLS)));
    rows.push(...(await measureRequestReadCost(manager, first.tenant, first.userId, CALLS)));
    return rows;
  } finally {
    await apiKeyUsage.flush();
    manager.close();
    rmSync(root, { recursive: true, force: true });
  }
}
