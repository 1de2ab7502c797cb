import { hostApi } from "@/lib/server/host-api";

/**
 * The HTTP benchmark's baseline for "the API through a Next route handler" (`pnpm bench http`):
 * `/api/bench-next-route/trpc/<procedure>` is the same call as `/api/trpc/<procedure>`, which the
 * web server answers on its own API path without Next (server.ts). Only when
 * SIGIL_BENCH_BASELINE=1 (read by the API, packages/api/src/http/baseline.ts); otherwise 404 like
 * any unknown page.
 */
const PREFIX = "/api/bench-next-route/";

async function handler(req: Request): Promise<Response> {
  if (!hostApi().benchBaseline) return new Response("Not found", { status: 404 });
  const url = new URL(req.url);
  url.pathname = `/api/${url.pathname.slice(PREFIX.length)}`;
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
  return hostApi().handleTrpcRequest(new Request(url, { method: req.method, headers: req.headers, body }));
}

export { handler as GET, handler as POST };
export const dynamic = "force-dynamic";
