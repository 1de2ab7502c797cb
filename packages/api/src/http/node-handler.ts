import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { apiConfig, type ApiConfig } from "../config.ts";
import { createInnerContext } from "../context.ts";
import { requestInfoFromNode } from "../request-info.ts";
import { appRouter } from "../root.ts";
import { BENCH_BASELINE_ENDPOINT, baselineRouter, benchBaselineEnabled } from "./baseline.ts";
import { API_RESPONSE_HEADERS, batchRefusal, logTrpcError, trpcEndpoint } from "./handler.ts";

/** Serves the request if it is an API call (true), or leaves it alone for the pages (false). */
export type NodeApiHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

interface ApiRoute {
  router: typeof appRouter | typeof baselineRouter;
  endpoint: string;
}

function apiRoute(pathname: string, baseline: boolean): ApiRoute | null {
  const endpoint = trpcEndpoint(pathname);
  if (endpoint !== null) return { router: appRouter, endpoint };
  if (baseline && (pathname === BENCH_BASELINE_ENDPOINT || pathname.startsWith(`${BENCH_BASELINE_ENDPOINT}/`))) {
    return { router: baselineRouter, endpoint: BENCH_BASELINE_ENDPOINT };
  }
  return null;
}

/**
 * The API on Node's HTTP server, without a framework in between (the web server's API path,
 * apps/web/server.ts, and the API-only server, node-server.ts): tRPC's Node adapter with the same
 * router, context, batch limit, error log and response headers as the fetch handler (handler.ts).
 * The request has passed the HTTP edge (edge.ts) before: headers normalised, body limited.
 * `config` defaults to the process's settings, read once.
 */
export function createNodeApiHandler(options: { config?: ApiConfig } = {}): NodeApiHandler {
  const config = options.config ?? apiConfig();
  const baseline = benchBaselineEnabled();
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://api.invalid");
    const route = apiRoute(url.pathname, baseline);
    if (route === null) return false;
    for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) res.setHeader(name, value);
    const refusal = batchRefusal(url);
    if (refusal !== null) {
      res.writeHead(400, { "content-type": "application/json" }).end(refusal);
      return true;
    }
    void nodeHTTPRequestHandler({
      req,
      res,
      router: route.router,
      path: url.pathname.slice(route.endpoint.length + 1),
      createContext: ({ req: request }) => createInnerContext({ request: requestInfoFromNode(request), config }),
      // What procedures add (Set-Cookie, Retry-After) goes out with the answer, as in the fetch adapter.
      responseMeta: ({ ctx }) => ({ headers: ctx?.resHeaders }),
      onError: logTrpcError,
    });
    return true;
  };
}
