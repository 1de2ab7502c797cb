import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync } from "node:fs";
import { generateApiKey } from "@sigil/api";
import {
  apiKeyModel,
  hashPassword,
  promptModel,
  systemAdminModel,
  tenantContext,
  tenantModel,
  tenants,
  tenantUsage,
  tenantWork,
  userModel,
  type HybridDatabaseManager,
  type TenantRow,
} from "@sigil/db";
import { eq } from "drizzle-orm";
import { progress } from "../lib/progress.ts";

export const ADMIN_EMAIL = "bench-admin@sigil.test";
export const ADMIN_PASSWORD = "bench-admin-password";

/** The one real tenant: created through the models, with a user, an API key and a prompt to run. */
export interface WorkTenant {
  tenant: TenantRow;
  apiKey: string;
  promptId: string;
}

const BATCH = 500;

export async function createSystemAdmin(): Promise<void> {
  await systemAdminModel.create({ email: ADMIN_EMAIL, name: "Bench admin", passwordHash: await hashPassword(ADMIN_PASSWORD) });
}

export async function createWorkTenant(): Promise<WorkTenant> {
  const tenant = await tenantModel.createTenant({
    name: "Bench work",
    slug: "bench-work",
    plan: "pro",
    settings: { features: [], limits: { users: 10, storage: 100, executions_per_month: 1_000_000 } },
  });
  const key = generateApiKey("tenant");
  const promptId = await tenantContext.runWithTenant(tenant.id, async () => {
    const owner = await userModel.create({ email: "owner@bench-work.test", name: "Owner", role: "admin", status: "active" });
    await apiKeyModel.create({ userId: owner.id, name: "bench", keyId: key.keyId, secretHash: key.secretHash, scopes: ["executions:run", "executions:read"] });
    return (await promptModel.create({ name: "Greeting", template: "Hello {{name}}" })).id;
  });
  return { tenant, apiKey: key.plain, promptId };
}

/**
 * BENCH SHORTCUT, not how tenants are made: `count` tenants whose file is a copy of the work
 * tenant's file (same schema, same prompt) and whose shared rows (tenants, tenant_usage,
 * tenant_work) are copies of its rows, inserted in one transaction. createTenant would take ~4 ms
 * each (40 s for 10,000) and end in the same state. The copies have no users. The work tenant's
 * handle must be closed first so its file holds everything (no -wal beside it).
 */
export function cloneWorkTenant(manager: HybridDatabaseManager, work: WorkTenant, count: number): string[] {
  const shared = manager.getSharedDatabase();
  const tenantRow = shared.select().from(tenants).where(eq(tenants.id, work.tenant.id)).get();
  const usageRow = shared.select().from(tenantUsage).where(eq(tenantUsage.tenantId, work.tenant.id)).get();
  const workRow = shared.select().from(tenantWork).where(eq(tenantWork.tenantId, work.tenant.id)).get();
  if (!tenantRow || !usageRow || !workRow) throw new Error("the work tenant's shared rows are missing");
  manager.closeTenantDatabase(work.tenant.id);
  const template = manager.tenantDatabasePath(work.tenant.id);
  if (existsSync(`${template}-wal`)) throw new Error(`${template} still has a -wal file: a copy would miss its last writes`);
  const ids = Array.from({ length: count }, () => randomUUID());
  const started = tenantRow.createdAt.getTime();
  // Registry rows first: a manager starting meanwhile deletes tenant files it finds unregistered.
  shared.transaction((tx) => {
    for (let start = 0; start < ids.length; start += BATCH) {
      const slice = ids.slice(start, start + BATCH);
      const slugs = slice.map((_, offset) => `tenant-${String(start + offset).padStart(5, "0")}`);
      tx.insert(tenants)
        .values(
          slice.map((id, offset) => ({
            ...tenantRow,
            id,
            slug: slugs[offset] ?? id,
            name: `Tenant ${start + offset}`,
            domain: null,
            createdAt: new Date(started - 1 - start - offset),
          })),
        )
        .run();
      tx.insert(tenantUsage)
        .values(slice.map((id) => ({ ...usageRow, tenantId: id })))
        .run();
      tx.insert(tenantWork)
        .values(slice.map((id) => ({ ...workRow, tenantId: id })))
        .run();
    }
  });
  const copying = progress(`copying the work tenant's file under ${count.toLocaleString("en-US")} names`, count);
  ids.forEach((id, index) => {
    copyFileSync(template, manager.tenantDatabasePath(id));
    if (index % 500 === 0) copying.tick(index);
  });
  copying.finish();
  return ids;
}
