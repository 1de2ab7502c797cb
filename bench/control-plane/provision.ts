import { generateApiKey } from "@sigil/api";
import {
  apiKeyModel,
  hashPassword,
  promptModel,
  systemAdminModel,
  tenantContext,
  tenantModel,
  userModel,
  type HybridDatabaseManager,
  type TenantRow,
} from "@sigil/db";
import { cloneTenant } from "@sigil/db/bench";
import { progress } from "../lib/progress.ts";

export const ADMIN_EMAIL = "bench-admin@sigil.test";
export const ADMIN_PASSWORD = "bench-admin-password";

/** The one real tenant: created through the models, with a user, an API key and a prompt to run. */
export interface WorkTenant {
  tenant: TenantRow;
  apiKey: string;
  promptId: string;
}

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

/** `count` copies of the work tenant (cloneTenant in packages/db/bench: a measuring shortcut, not how tenants are made). */
export function cloneWorkTenant(manager: HybridDatabaseManager, work: WorkTenant, count: number): string[] {
  const copying = progress(`copying the work tenant's file under ${count.toLocaleString("en-US")} names`, count);
  const ids = cloneTenant(manager, work.tenant.id, count, { slugPrefix: "tenant", onProgress: (copied) => copying.tick(copied) });
  copying.finish();
  return ids;
}
