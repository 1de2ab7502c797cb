import type { IncomingMessage, ServerResponse } from "node:http";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import type { ApiConfig } from "../config.ts";
import { createInnerContext } from "../context.ts";
import { requestInfoFromNode } from "../request-info.ts";
import { OPENAPI_PATH, openApiDocument, REST_PREFIX, restRoutes, type RestMethod, type RestRoute } from "../rest/openapi.ts";
import { appRouter } from "../root.ts";
import { identifyTenant } from "../tenant-identification.ts";
import { logTrpcError } from "./handler.ts";

/** A REST URL split into its workspace prefix (may be empty) and the route below `/api/v1`. */
export interface RestTarget {
  prefix: string;
  route: string;
}

/** `/api/v1/…` and `/tenant/<slug>/api/v1/…` are REST calls; anything else is not (null). */
export function restTarget(pathname: string): RestTarget | null {
  const match = /^(\/tenant\/[^/]+)?\/api\/v1(\/.*)?$/.exec(pathname);
  if (!match) return null;
  return { prefix: match[1] ?? "", route: match[2] ?? "/" };
}

/** The route a request matches, "method" when only the method is wrong, or null. */
export function matchRestRoute(method: string, route: string): RestRoute | "method" | null {
  const candidates = restRoutes().filter((candidate) => candidate.pattern.test(route));
  return candidates.find((candidate) => candidate.method === method.toLowerCase()) ?? (candidates.length > 0 ? "method" : null);
}

/** The procedure label of a REST call for the metrics: a router procedure, or "unknown". */
export function restProcedureLabel(method: string, pathname: string): string {
  const target = restTarget(pathname);
  if (target === null) return "unknown";
  if (target.route === OPENAPI_PATH) return "rest.openapi";
  const matched = matchRestRoute(method, target.route);
  return typeof matched === "object" && matched !== null ? matched.procedure : "unknown";
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers }).end(text);
}

function documentFor(req: IncomingMessage, config: ApiConfig): ReturnType<typeof openApiDocument> {
  const info = requestInfoFromNode(req);
  const identification = identifyTenant(info, config.rootDomain);
  const slug = identification.kind === "tenant" ? identification.identifiers.find((identifier) => identifier.kind === "slug")?.value : undefined;
  const origin = `${info.secure ? "https" : "http"}://${info.hostHeader}`;
  return openApiDocument(origin, slug ?? "acme");
}

/**
 * The REST API (OpenAPI 3.1) on Node's HTTP server: trpc-to-openapi's Node adapter over the same
 * router, context, procedures and errors as tRPC, for the routes the procedures' meta declares
 * (src/rest/openapi.ts). The workspace is identified from the original URL (its path prefix
 * included), the route from the path below `/api/v1`.
 */
export function createRestHandler(config: ApiConfig): (req: IncomingMessage, res: ServerResponse, target: RestTarget) => void {
  const openApi = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext: ({ req }: { req: IncomingMessage & { originalUrl?: string } }) =>
      createInnerContext({ request: requestInfoFromNode({ method: req.method, url: req.originalUrl, headers: req.headers }), config }),
    // What procedures add (Retry-After) goes out with the answer, as with tRPC.
    responseMeta: ({ ctx }: { ctx?: { resHeaders: Headers } | undefined }) => ({ headers: ctx ? Object.fromEntries(ctx.resHeaders.entries()) : {} }),
    onError: logTrpcError,
    // The HTTP edge (edge.ts) has limited the body per route already; this only must not be lower.
    maxBodySize: config.maxUploadBodyBytes,
  });
  return (req, res, target) => {
    const method = (req.method ?? "GET").toUpperCase();
    if (target.route === OPENAPI_PATH || target.route === `${OPENAPI_PATH}/`) {
      if (method !== "GET" && method !== "HEAD")
        return sendJson(res, 405, { code: "METHOD_NOT_SUPPORTED", message: "The OpenAPI document is read with GET." }, { allow: "GET, HEAD" });
      return sendJson(res, 200, documentFor(req, config));
    }
    const matched = matchRestRoute(method, target.route);
    if (matched === null) {
      return sendJson(res, 404, {
        code: "NOT_FOUND",
        message: `No REST route ${method} ${REST_PREFIX}${target.route}. The routes are listed in ${REST_PREFIX}${OPENAPI_PATH}.`,
      });
    }
    if (matched === "method") {
      const allowed = restRoutes()
        .filter((route) => route.pattern.test(target.route))
        .map((route) => route.method.toUpperCase() as Uppercase<RestMethod>);
      return sendJson(
        res,
        405,
        { code: "METHOD_NOT_SUPPORTED", message: `${REST_PREFIX}${target.route} answers ${allowed.join(", ")}, not ${method}.` },
        { allow: allowed.join(", ") },
      );
    }
    const request = req as IncomingMessage & { originalUrl?: string };
    request.originalUrl = req.url;
    const query = new URL(req.url ?? "/", "http://rest.invalid").search;
    req.url = `${target.route}${query}`;
    // The adapter reads a JSON body only for exactly "application/json"; a charset does not change JSON.
    const contentType = req.headers["content-type"];
    if (contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType)) req.headers["content-type"] = "application/json";
    void openApi(req, res);
  };
}
