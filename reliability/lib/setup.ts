/**
 * The tenants of a run, made through the API as an operator and a workspace owner would: the
 * system administrator (created by `pnpm start` from SIGIL_ADMIN_EMAIL) creates each tenant with
 * its owner, the owner signs in (the session cookie) and creates an API key, the provider "slow"
 * (lib/slow-model.ts) and the "anchor" prompt that executions run on.
 */
import { createSigilClient, signIn } from "@sigil/client";
import { ADMIN, type Deployment } from "./installation.ts";
import type { Ledger } from "./ledger.ts";
import type { LoadTenant } from "./workload.ts";

export const OWNER_PASSWORD = "reliability-owner-password";
/** The provider every tenant gets, pointing at lib/slow-model.ts. */
export const SLOW_PROVIDER = "slow";

export function tenantSlug(index: number): string {
  return `rel-${String(index).padStart(2, "0")}`;
}

export async function adminClient(installation: Deployment) {
  const url = `http://localhost:${installation.options.port}`;
  const { cookie } = await signIn({ url, admin: true, email: ADMIN.email, password: ADMIN.password });
  return createSigilClient({ url, admin: true, cookie });
}

/** Creates `count` tenants, eight at a time (each owner's password is hashed with scrypt). */
export async function createTenants(installation: Deployment, count: number, slowModelUrl: string): Promise<Omit<LoadTenant, "anchorPromptId">[]> {
  const admin = await adminClient(installation);
  const made: Omit<LoadTenant, "anchorPromptId">[] = [];
  const indexes = Array.from({ length: count }, (_, i) => i);
  const createOne = async (index: number) => {
    const slug = tenantSlug(index);
    const { tenant } = await admin.tenants.create.mutate({
      name: `Reliability ${index}`,
      slug,
      plan: "enterprise",
      settings: { features: [], limits: { users: 1_000, storage: 100_000, executions_per_month: 1_000_000 } },
      owner: { email: `owner@${slug}.test`, name: `Owner ${index}`, password: OWNER_PASSWORD },
    });
    const baseUrl = installation.tenantUrl(slug);
    const { cookie } = await signIn({ url: baseUrl, email: `owner@${slug}.test`, password: OWNER_PASSWORD });
    const owner = createSigilClient({ url: baseUrl, cookie });
    const { plainKey } = await owner.apiKeys.create.mutate({ name: "reliability", scopes: ["prompts:read", "executions:run", "executions:read"] });
    await owner.settings.saveProvider.mutate({ identifier: SLOW_PROVIDER, baseUrl: slowModelUrl, apiKey: "unused", defaultModel: "slow-model" });
    made[index] = { index, slug, id: tenant.id, baseUrl, cookie, apiKey: plainKey };
  };
  for (let start = 0; start < indexes.length; start += 8) {
    await Promise.all(indexes.slice(start, start + 8).map(createOne));
  }
  return made;
}

/** Each tenant's anchor prompt (never deleted by the load; executions run its current version). */
export async function createAnchors(tenants: readonly Omit<LoadTenant, "anchorPromptId">[], ledger: Ledger): Promise<LoadTenant[]> {
  return Promise.all(
    tenants.map(async (tenant) => {
      const owner = createSigilClient({ url: tenant.baseUrl, cookie: tenant.cookie });
      const name = `${tenant.slug}/anchor`;
      const prompt = await owner.prompts.create.mutate({ name, template: "Hello {{who}}" });
      ledger.promptCreated(tenant, prompt.id, name, true);
      return { ...tenant, anchorPromptId: prompt.id };
    }),
  );
}
