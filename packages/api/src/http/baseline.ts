import { HybridDatabaseManager, tenantModel, type TenantRow } from "@sigil/db";
import { listPromptsInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { count, desc } from "drizzle-orm";
import { authenticateApiKey } from "../auth/identity.ts";
import { publicProcedure, router } from "../trpc.ts";

/**
 * The HTTP benchmark's baseline (`pnpm bench http`): the same read as `prompts.list` (a page of
 * prompts + total), over the same tRPC transport with the same API-key check, but without the
 * tenancy layer: the tenant named by x-tenant-id is looked up once and cached, and the read runs
 * in a session of its store directly (no identification, no registry lookup per request, no tenant
 * context). Served by the API's Node handler (node-handler.ts) only when SIGIL_BENCH_BASELINE=1; otherwise 404.
 */
export const BENCH_BASELINE_ENDPOINT = "/api/bench-baseline";

export function benchBaselineEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SIGIL_BENCH_BASELINE === "1";
}

const tenants = new Map<string, TenantRow>();

async function cachedTenant(slug: string | null): Promise<TenantRow> {
  const cached = slug === null ? undefined : tenants.get(slug);
  if (cached) return cached;
  const found = slug === null ? null : await tenantModel.findBySlug(slug);
  if (!found || slug === null) throw new TRPCError({ code: "NOT_FOUND", message: "Unknown tenant." });
  tenants.set(slug, found);
  return found;
}

export const baselineRouter = router({
  promptsList: publicProcedure.input(listPromptsInput.prefault({})).query(async ({ ctx, input }) => {
    const tenant = await cachedTenant(ctx.request.tenantHeader);
    await authenticateApiKey(ctx.request.apiKey ?? "", tenant, ctx.lookups);
    return HybridDatabaseManager.getInstance().withTenantStore(tenant.id, (store) =>
      store.session("read", async ({ db, t }) => {
        const [counted] = await db.select({ n: count() }).from(t.prompts);
        const total = counted?.n ?? 0;
        const data = await db
          .select()
          .from(t.prompts)
          .orderBy(desc(t.prompts.updatedAt), t.prompts.id)
          .limit(input.pageSize)
          .offset((input.page - 1) * input.pageSize);
        return { data, total, page: input.page, pageSize: input.pageSize, totalPages: Math.ceil(total / input.pageSize) };
      }),
    );
  }),
});
