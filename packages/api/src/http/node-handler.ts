import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import { apiConfig, type ApiConfig } from "../config.ts";
import { createInnerContext } from "../context.ts";
import { currentRequestLog, logger } from "../observability/logger.ts";
import { procedureLabels, recordAnsweredRequest, TenantLabels } from "../observability/request-metrics.ts";
import { requestInfoFromNode } from "../request-info.ts";
import { appRouter } from "../root.ts";
import { observabilitySettings, type ObservabilitySettings } from "../server-settings.ts";
import { BENCH_BASELINE_ENDPOINT, baselineRouter, benchBaselineEnabled } from "./baseline.ts";
import { API_RESPONSE_HEADERS, batchRefusal, logTrpcError, trpcEndpoint } from "./handler.ts";
import { isExecutionsExport, serveExecutionsExport } from "./executions-export.ts";
import { opsRoute, serveOpsRoute } from "./ops-routes.ts";
import { createRestHandler, restProcedureLabel, restTarget } from "./rest-handler.ts";

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
 * Counts the answer in the metrics once it is written (observability/request-metrics.ts) and logs
 * it at debug level; the request's log fields (request id, workspace) were set by the edge.
 */
function measure(res: ServerResponse, procedures: readonly string[], tenantLabels: TenantLabels): void {
  const started = performance.now();
  const fields = currentRequestLog();
  res.once("finish", () => {
    const seconds = (performance.now() - started) / 1000;
    recordAnsweredRequest({ procedures, status: res.statusCode, seconds, slug: fields?.slug }, tenantLabels);
    const log = logger();
    if (log.isLevelEnabled("debug")) log.debug({ procedures, status: res.statusCode, ms: Math.round(seconds * 1000) }, "answered");
  });
}

/**
 * The API on Node's HTTP server, without a framework in between (the web server's API path,
 * apps/web/server.ts, and the API-only server, node-server.ts): tRPC's Node adapter with the same
 * router, context, batch limit, error log and response headers as the fetch handler (handler.ts).
 * The request has passed the HTTP edge (edge.ts) before: headers normalised, body limited.
 * It also serves the REST API (rest-handler.ts) and the operations endpoints (ops-routes.ts), and
 * measures every answer.
 * `config` and `observability` default to the process's settings, read once.
 */
export interface NodeApiHandlerOptions {
  config?: ApiConfig;
  observability?: ObservabilitySettings;
}

export function createNodeApiHandler(options: NodeApiHandlerOptions = {}): NodeApiHandler {
  const config = options.config ?? apiConfig();
  const observability = options.observability ?? observabilitySettings();
  const tenantLabels = new TenantLabels(observability.metricsTenantLabels);
  const baseline = benchBaselineEnabled();
  const rest = createRestHandler(config);
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://api.invalid");
    const ops = opsRoute(url.pathname);
    if (ops !== null) {
      for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) res.setHeader(name, value);
      measure(res, [url.pathname], tenantLabels);
      serveOpsRoute(ops, req, res, { config, observability });
      return true;
    }
    if (isExecutionsExport(url.pathname)) {
      for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) res.setHeader(name, value);
      measure(res, ["executions.export"], tenantLabels);
      void serveExecutionsExport(req, res, config);
      return true;
    }
    const restCall = restTarget(url.pathname);
    if (restCall !== null) {
      for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) res.setHeader(name, value);
      measure(res, [restProcedureLabel(req.method ?? "GET", url.pathname)], tenantLabels);
      rest(req, res, restCall);
      return true;
    }
    const route = apiRoute(url.pathname, baseline);
    if (route === null) return false;
    measure(res, route.router === appRouter ? procedureLabels(url.pathname) : ["bench.baseline"], tenantLabels);
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
