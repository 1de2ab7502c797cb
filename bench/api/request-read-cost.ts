import { apiConfig, appRouter, createCallerFactory, createInnerContext, generateApiKey } from "@sigil/api";
import { apiKeyModel, type HybridDatabaseManager, promptModel, prompts, tenantContext, type TenantRow } from "@sigil/db";
import { count, desc, eq, sql, type Placeholder } from "drizzle-orm";
import { step } from "../lib/progress.ts";
import { median } from "../lib/stats.ts";
import type { BenchRow } from "../lib/types.ts";

const ROUNDS = 5;
const PAGE_SIZE = 20;

/** CPU time of this process per call (user + system), µs: steadier than wall time on a shared machine. */
async function cpuMicrosPerCall(call: () => Promise<unknown>, iterations: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i += 1) await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
}

/**
 * The floor of each read: its queries compiled once on the tenant's handle (leased for the whole
 * measurement, so it stays the one open), run in one read session of the tenant's store.
 */
function bareReads(manager: HybridDatabaseManager, tenant: TenantRow, promptId: string) {
  const lease = manager.acquireTenantDatabase(tenant.id);
  const { db } = lease;
  const byId = db
    .select()
    .from(prompts)
    .where(eq(prompts.id, sql.placeholder("id")))
    .prepare();
  const counted = db.select({ n: count() }).from(prompts).prepare();
  // A literal LIMIT: SQLite re-prepares a statement whose LIMIT is bound, on every call (the
  // models bind it in a form it does not: packages/db/src/engine/dialect.ts, rowLimit).
  const literalLimit = sql.raw(String(PAGE_SIZE)) as unknown as Placeholder;
  const page = db.select().from(prompts).orderBy(desc(prompts.updatedAt), prompts.id).limit(literalLimit).prepare();
  const read = <R>(fn: () => Promise<R>) => manager.withTenantStore(tenant.id, (store) => store.session("read", fn));
  return {
    get: () => read(async () => (await byId.execute({ id: promptId }))[0] ?? null),
    list: () => read(async () => ({ total: (await counted.execute())[0]?.n ?? 0, data: await page.execute() })),
    release: () => lease.release(),
  };
}

interface Read {
  name: string;
  layered: () => Promise<unknown>;
  bare: () => Promise<unknown>;
}

/** One read through the layers and bare, warmed, then interleaved round by round so drift hurts both alike. */
async function compare(read: Read, iterations: number): Promise<BenchRow[]> {
  await cpuMicrosPerCall(read.layered, 1_000);
  await cpuMicrosPerCall(read.bare, 1_000);
  const layered: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    layered.push(await cpuMicrosPerCall(read.layered, iterations / ROUNDS));
    floor.push(await cpuMicrosPerCall(read.bare, iterations / ROUNDS));
  }
  const label = `API-key read in-process, ${read.name}`;
  return [
    {
      benchmark: `${label}: CPU per call`,
      value: median(layered),
      unit: "µs",
      note: `${label}: appRouter caller with an API key (registry and API-key lookups, rate limits, tenant context, model read, usage mirror) against the same queries compiled once in one tenant read session; CPU time of the process per call, median of ${ROUNDS} interleaved rounds`,
    },
    { benchmark: `${label}: the same queries bare, CPU per call`, value: median(floor), unit: "µs" },
    { benchmark: `${label}: what the layers add per call`, value: median(layered) - median(floor), unit: "µs" },
  ];
}

/** An API key of the tenant's first user that reads prompts, and the id of one of its prompts. */
async function apiKeyAndPrompt(tenant: TenantRow, userId: string): Promise<{ plainKey: string; promptId: string }> {
  return tenantContext.runWithTenant(tenant.id, async () => {
    const generated = generateApiKey("tenant");
    await apiKeyModel.create({ userId, name: "bench", keyId: generated.keyId, secretHash: generated.secretHash, scopes: ["prompts:read"], expiresAt: null });
    const page = await promptModel.search({ page: 1, pageSize: 1 });
    const prompt = page.data[0];
    if (!prompt) throw new Error("the tenant has no prompt");
    return { plainKey: generated.plain, promptId: prompt.id };
  });
}

/**
 * What a tenant-scoped API read costs in-process, layers included: `prompts.get` and
 * `prompts.list` called through the app router with an API key, as the HTTP handler calls them
 * (tenant from x-tenant-id through the registry cache, the API key and its owner, the rate
 * limits, the tenant context, the model read, the usage mirror at the end), beside the same
 * reads bare: their queries compiled once and run in one read session of the tenant's store.
 * CPU µs per call, the two sides interleaved round by round. What HTTP, tRPC's serialisation and
 * zod add on top is in `pnpm bench http`.
 */
export async function measureRequestReadCost(manager: HybridDatabaseManager, tenant: TenantRow, userId: string, iterations: number): Promise<BenchRow[]> {
  const { plainKey, promptId } = await apiKeyAndPrompt(tenant, userId);
  const config = apiConfig();
  // The limits stay on (their cost is part of a request) but never refuse.
  const limits = { ...config, rateLimits: { ...config.rateLimits, apiPerKey: 1_000_000_000, apiPerTenant: 1_000_000_000 } };
  const request = {
    method: "GET",
    host: "127.0.0.1",
    hostHeader: "127.0.0.1:3000",
    path: "/api/trpc/prompts.get",
    tenantHeader: tenant.slug,
    cookies: {},
    origin: null,
    apiKey: plainKey,
    ip: "127.0.0.1",
    userAgent: null,
    secure: false,
  };
  // A context per call, as each HTTP request builds its own.
  const caller = () => createCallerFactory(appRouter)(createInnerContext({ request, config: limits }));
  const bare = bareReads(manager, tenant, promptId);
  const reads: Read[] = [
    { name: "prompts.get (one prompt by id)", layered: () => caller().prompts.get({ id: promptId }), bare: bare.get },
    {
      name: `prompts.list (first ${PAGE_SIZE} of 50 prompts + count)`,
      layered: () => caller().prompts.list({ page: 1, pageSize: PAGE_SIZE }),
      bare: bare.list,
    },
  ];
  step(`per-request read cost in-process: ${reads.length} reads × ${iterations.toLocaleString("en-US")} calls, through the app router and bare`);
  const rows: BenchRow[] = [];
  try {
    for (const read of reads) rows.push(...(await compare(read, iterations)));
  } finally {
    bare.release();
  }
  return rows;
}
