import { createCallerFactory, createInnerContext, publicProcedure, router, tenantProcedure } from "@sigil/api";
import type { HybridDatabaseManager } from "@sigil/db";
import { promptModel, type TenantRow } from "@sigil/db";
import { count, desc } from "drizzle-orm";
import { step } from "../lib/progress.ts";
import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

/**
 * The same read (first page of prompts + total) as a tenant-scoped procedure (resolve the tenant
 * from the request in the registry, check its status, run inside tenantContext) and as a plain
 * procedure reading one fixed tenant file directly. Authentication is left out of both: it is
 * not part of the tenancy layer.
 */
function benchRouter(manager: HybridDatabaseManager, tenant: TenantRow) {
  return router({
    withTenancy: tenantProcedure.query(() => promptModel.search({ page: 1, pageSize: 20 })),
    withoutTenancy: publicProcedure.query(() =>
      manager.withTenantStore(tenant.id, (store) =>
        store.session("read", async ({ db, t }) => {
          const [counted] = await db.select({ n: count() }).from(t.prompts);
          const data = await db.select().from(t.prompts).orderBy(desc(t.prompts.updatedAt), t.prompts.id).limit(20);
          return { data, total: counted?.n ?? 0 };
        }),
      ),
    ),
  });
}

async function timeCalls(call: () => Promise<unknown>, iterations: number): Promise<{ opsPerSecond: number; medianMicros: number }> {
  const timings: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    const t0 = performance.now();
    await call();
    timings.push((performance.now() - t0) * 1000);
  }
  return { opsPerSecond: (iterations / (performance.now() - started)) * 1000, medianMicros: median(timings) };
}

export async function measureTenancyOverhead(manager: HybridDatabaseManager, tenant: TenantRow, iterations: number): Promise<BenchRow[]> {
  const caller = createCallerFactory(benchRouter(manager, tenant))(
    createInnerContext({
      request: {
        method: "GET",
        host: "127.0.0.1",
        hostHeader: "127.0.0.1:3000",
        path: "/api/trpc/withTenancy",
        tenantHeader: tenant.slug,
        cookies: {},
        origin: null,
        apiKey: null,
        ip: null,
        userAgent: null,
        secure: false,
      },
    }),
  );
  step(`calling a tenant-scoped read in-process, ${iterations.toLocaleString("en-US")}× with and without the tenancy layer`);
  // Warm both paths, then alternate rounds so drift hurts both alike.
  await timeCalls(() => caller.withTenancy(), 1_000);
  await timeCalls(() => caller.withoutTenancy(), 1_000);
  const withRounds: { opsPerSecond: number; medianMicros: number }[] = [];
  const withoutRounds: { opsPerSecond: number; medianMicros: number }[] = [];
  for (let round = 0; round < 5; round += 1) {
    withRounds.push(await timeCalls(() => caller.withTenancy(), iterations / 5));
    withoutRounds.push(await timeCalls(() => caller.withoutTenancy(), iterations / 5));
  }
  const withOps = median(withRounds.map((r) => r.opsPerSecond));
  const withoutOps = median(withoutRounds.map((r) => r.opsPerSecond));
  return [
    {
      benchmark: "tenant-scoped read in-process, with tenancy layer",
      value: withOps,
      unit: "calls/s",
      note: "tenant-scoped read in-process, with tenancy layer: createCaller → tenantProcedure (x-tenant-id → registry lookup, status check, runWithTenant) → promptModel.search, 20 of 50 prompts + count",
    },
    { benchmark: "tenant-scoped read in-process, with tenancy layer: median", value: median(withRounds.map((r) => r.medianMicros)), unit: "µs" },
    {
      benchmark: "same read without tenancy layer",
      value: withoutOps,
      unit: "calls/s",
      note: "same read without tenancy layer: a plain procedure running the same two queries on the tenant's leased handle",
    },
    { benchmark: "same read without tenancy layer: median", value: median(withoutRounds.map((r) => r.medianMicros)), unit: "µs" },
    { benchmark: "tenancy layer: throughput ratio (with / without)", value: withOps / withoutOps, unit: "×" },
  ];
}
