import { HybridDatabaseManager, prompts, tenantModel, type TenantRow } from "@sigil/db";
import { count, desc } from "drizzle-orm";
import superjson from "superjson";
import { authenticateApiKey } from "../auth/identity.ts";

/**
 * The benchmark's baseline (`pnpm bench http`): the same read as `prompts.list` (first page of
 * 20 + total), served in the same server with the same API-key authentication but without the
 * tenancy layer — the tenant comes from a query parameter resolved once and cached, no host
 * identification, no registry lookup per request, no tenant context. Only served when
 * SIGIL_BENCH_BASELINE=1; otherwise 404.
 */
const tenants = new Map<string, TenantRow>();

export async function handleBaselineRequest(req: Request): Promise<Response> {
  if (process.env.SIGIL_BENCH_BASELINE !== "1") return new Response("Not found", { status: 404 });
  const tenantId = new URL(req.url).searchParams.get("tenant") ?? "";
  let tenant = tenants.get(tenantId);
  if (!tenant) {
    const found = await tenantModel.findById(tenantId);
    if (!found) return new Response("Unknown tenant", { status: 404 });
    tenants.set(tenantId, found);
    tenant = found;
  }
  const key = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  try {
    await authenticateApiKey(key, tenant);
  } catch {
    return new Response("Unauthorized", { status: 401 });
  }
  const page = HybridDatabaseManager.getInstance().withTenantDatabase(tenant.id, (db) =>
    db.transaction((tx) => {
      const total = tx.select({ n: count() }).from(prompts).get()?.n ?? 0;
      const data = tx.select().from(prompts).orderBy(desc(prompts.updatedAt), prompts.id).limit(20).all();
      return { data, total, page: 1, pageSize: 20, totalPages: Math.ceil(total / 20) };
    }),
  );
  return Response.json({ result: { data: superjson.serialize(page) } });
}
