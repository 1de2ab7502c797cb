import type { RequestInfo } from "@sigil/api";
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/lib/csp";
import { ROUTE_HEADERS, routeRequest, UNKNOWN_WORKSPACE_ROUTE, type RouteDecision } from "@/lib/routing";
import { hostApi } from "@/lib/server/host-api";
import { trpcErrorCode } from "@/lib/trpc-errors";

const dev = process.env.NODE_ENV !== "production";

/**
 * Host routing (Next 16 proxy, Node runtime): which part of the app a page request belongs to.
 * The tRPC endpoints are excluded by the matcher; the API identifies the tenant itself with the
 * same pure function (`identifyTenant`), so pages and API calls always agree.
 *
 * It also gives every page its Content-Security-Policy with a fresh nonce: set on the request,
 * Next puts the nonce on its own scripts (pages are therefore rendered per request); set on the
 * answer, the browser enforces it (src/lib/csp.ts).
 */
export async function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy(newNonce(), { dev });
  const response = await route(request, policy);
  response.headers.set("content-security-policy", policy);
  return response;
}

async function route(request: NextRequest, policy: string): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const { apiConfig, hostName, identifyTenant } = hostApi();
  const hostHeader = request.headers.get("host") ?? request.nextUrl.host;
  // Pages are named by host and path only: an x-tenant-id header from a browser chooses nothing.
  const page = { host: hostName(hostHeader), path: pathname, tenantHeader: null };
  let decision: RouteDecision = routeRequest(identifyTenant(page, apiConfig().rootDomain), pathname);
  if (decision.kind === "rewrite" && decision.area === "workspace" && !(await isRegistered({ ...page, hostHeader }))) {
    decision = { kind: "not-found", area: "unknown-workspace" };
  }

  const forwarded = new Headers(request.headers);
  for (const name of Object.values(ROUTE_HEADERS)) forwarded.delete(name);
  forwarded.delete("x-tenant-id");
  forwarded.set(ROUTE_HEADERS.visiblePath, `${pathname}${search}`);
  forwarded.set(ROUTE_HEADERS.area, decision.area);
  forwarded.set("content-security-policy", policy);

  if (decision.kind === "pass") return NextResponse.next({ request: { headers: forwarded } });
  const url = request.nextUrl.clone();
  if (decision.kind === "not-found") {
    url.pathname = UNKNOWN_WORKSPACE_ROUTE;
    url.search = "";
  } else {
    forwarded.set(ROUTE_HEADERS.basePath, decision.basePath);
    if (decision.tenant !== null) forwarded.set(ROUTE_HEADERS.tenant, decision.tenant);
    url.pathname = decision.pathname;
  }
  return NextResponse.rewrite(url, { request: { headers: forwarded } });
}

/**
 * Whether the workspace is in the registry (one indexed lookup in shared.sqlite). Unknown ones
 * get the 404 page here, fully rendered on the server; suspended ones and any other failure go
 * on to the workspace layout, which shows the status or the error.
 */
async function isRegistered(page: { host: string; hostHeader: string; path: string; tenantHeader: null }): Promise<boolean> {
  const info: RequestInfo = { ...page, method: "GET", cookies: {}, origin: null, apiKey: null, ip: null, userAgent: null, secure: false };
  try {
    const { apiConfig, resolveTenant } = hostApi();
    await resolveTenant(info, apiConfig());
    return true;
  } catch (error) {
    return trpcErrorCode(error) !== "NOT_FOUND";
  }
}

export const config = {
  matcher: [
    // Everything but the tRPC endpoints (/api/…, /tenant/<slug>/api/…), Next's own assets and
    // static files. `/api-keys` (a workspace page) must still match, hence `api(?:/|$)`.
    "/((?!api(?:/|$)|tenant/[^/]+/api(?:/|$)|_next/|favicon\\.ico$|robots\\.txt$|.*\\.(?:png|jpg|jpeg|gif|svg|webp|ico|css|js|map|txt|woff2?)$).*)",
  ],
};
