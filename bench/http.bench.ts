/**
 * HTTP benchmark (issue: web app): the production server on 127.0.0.1, a tenant-scoped tRPC read
 * (`prompts.list`, tenant from the x-tenant-id header, API key) vs the same read served by a
 * route of the same server without the tenancy layer (packages/api/src/http/baseline.ts), with
 * autocannon: throughput and p99 latency, and their ratio (target ≥ 0.9).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSigilClient, signIn } from "@sigil/client";
import autocannon from "autocannon";
import superjson from "superjson";
import { startProductionServer } from "./http/server.ts";
import { step } from "./lib/progress.ts";
import { median } from "./lib/stats.ts";
import type { BenchRow } from "./lib/types.ts";

const PORT = Number(process.env.BENCH_HTTP_PORT ?? 3230);
const DURATION_S = 10;
const CONNECTIONS = 10;
const ROUNDS = 3;

interface Run {
  requestsPerSecond: number;
  p99Ms: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Run> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99 };
}

export async function httpBenchmarks(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), "sigil-bench-http-"));
  const server = await startProductionServer(join(root, "data"), PORT);
  try {
    const base = `http://127.0.0.1:${PORT}`;
    const { cookie } = await signIn({ url: base, tenant: "acme", email: "owner@acme.test", password: "acme-demo-password" });
    const owner = createSigilClient({ url: base, tenant: "acme", cookie });
    for (let i = 0; i < 50; i += 1) await owner.prompts.create.mutate({ name: `Bench prompt ${i}`, template: `Hello {{name}} #${i}` });
    const { plainKey } = await owner.apiKeys.create.mutate({ name: "bench", scopes: ["prompts:read"] });
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ page: 1, pageSize: 20 })));
    const tenancy = { url: `${base}/api/trpc/prompts.list?input=${input}`, headers: { "x-tenant-id": "acme", authorization: `Bearer ${plainKey}` } };
    const baseline = { url: `${base}/api/bench-baseline/promptsList?input=${input}`, headers: { "x-tenant-id": "acme", authorization: `Bearer ${plainKey}` } };
    step(`warming up both routes, then ${ROUNDS} alternating rounds of ${DURATION_S} s × ${CONNECTIONS} connections each`);
    await load(tenancy.url, tenancy.headers);
    await load(baseline.url, baseline.headers);
    const withTenancy: Run[] = [];
    const without: Run[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      withTenancy.push(await load(tenancy.url, tenancy.headers));
      without.push(await load(baseline.url, baseline.headers));
    }
    const rps = (runs: Run[]) => median(runs.map((r) => r.requestsPerSecond));
    const p99 = (runs: Run[]) => median(runs.map((r) => r.p99Ms));
    return [
      {
        benchmark: "HTTP tenant-scoped tRPC read: throughput",
        value: rps(withTenancy),
        unit: "req/s",
        note: `HTTP tenant-scoped tRPC read: throughput: GET /api/trpc/prompts.list (x-tenant-id + API key) on the production server, autocannon ${CONNECTIONS} connections × ${DURATION_S} s, median of ${ROUNDS} rounds`,
      },
      { benchmark: "HTTP tenant-scoped tRPC read: p99 latency", value: p99(withTenancy), unit: "ms" },
      {
        benchmark: "HTTP same read without tenancy layer: throughput",
        value: rps(without),
        unit: "req/s",
        note: "HTTP same read without tenancy layer: throughput: GET /api/bench-baseline/promptsList (same tRPC transport, input and API-key check; the tenant cached by slug, no identification, no registry lookup, no tenant context)",
      },
      { benchmark: "HTTP same read without tenancy layer: p99 latency", value: p99(without), unit: "ms" },
      {
        benchmark: "HTTP tenancy layer: throughput ratio (with / without)",
        value: rps(withTenancy) / rps(without),
        unit: "×",
        target: { comparison: ">=", value: 0.9 },
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
