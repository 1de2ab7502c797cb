import type { Identification } from "@sigil/api";

/**
 * Request headers the proxy sets on every page request it routes (and strips from the incoming
 * request first, so a browser can never choose them). Server components read them through
 * `next/headers`; nothing else trusts them.
 */
export const ROUTE_HEADERS = {
  /** Which part of the app serves the request: see `RouteArea`. */
  area: "x-sigil-area",
  /** The workspace segment of the rewrite: a slug, or the host of a custom domain. */
  tenant: "x-sigil-tenant",
  /** "" on a tenant's own host or custom domain, "/tenant/<slug>" in path-prefix mode. */
  basePath: "x-sigil-base-path",
  /** The URL path (and query) the user sees, for "back to where you were" after sign-in. */
  visiblePath: "x-sigil-visible-path",
} as const;

/** "invalid": a hostile or contradictory host/path; "unknown-workspace": a well-formed name nobody registered. */
export type RouteArea = "landing" | "workspace" | "admin" | "invalid" | "unknown-workspace";

/** Internal route prefixes: reached only through the proxy's rewrites, never typed by users. */
export const WORKSPACE_ROUTE = "/workspace";
export const ADMIN_ROUTE = "/admin-console";
/**
 * Where the proxy sends hosts and paths that name no workspace. No route exists there on
 * purpose: Next then renders app/not-found.tsx as a page (full HTML, status 404). A `notFound()`
 * thrown while rendering is only rendered in the browser (vercel/next.js#62228).
 */
export const UNKNOWN_WORKSPACE_ROUTE = "/unknown-workspace";
const INTERNAL_PREFIXES = [WORKSPACE_ROUTE, ADMIN_ROUTE];

export type RouteDecision =
  /** Serve the path as it is (the landing page and other root-host pages). */
  | { kind: "pass"; area: "landing" }
  | { kind: "rewrite"; area: "workspace" | "admin"; pathname: string; tenant: string | null; basePath: string }
  | { kind: "not-found"; area: RouteArea };

function startsWithSegment(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** `/x` stays `/x`; the home page `/` becomes "" so the rewrite reads `/workspace/acme`. */
function suffix(rest: string): string {
  return rest === "/" || rest === "" ? "" : rest;
}

/**
 * Where a page request goes, from what `identifyTenant` made of its host and path (the proxy
 * passes no `x-tenant-id`: pages are named by host or path only). Pure, unit-tested.
 *
 * - root host (`localhost:3000`, `www.`, an IP): served as is; internal routes are 404s
 * - `admin.<root>`: `/admin-console/<path>`
 * - a tenant (subdomain, custom domain or `/tenant/<slug>/` prefix): `/workspace/<segment>/<path>`,
 *   where the segment is the slug, or the host for a custom domain (resolved server-side)
 * - an invalid identification (hostile host or slug, disagreeing identifiers): the 404 page
 */
export function routeRequest(identification: Identification, pathname: string): RouteDecision {
  switch (identification.kind) {
    case "invalid":
      return { kind: "not-found", area: "invalid" };
    case "none":
      if (INTERNAL_PREFIXES.some((prefix) => startsWithSegment(pathname, prefix))) return { kind: "not-found", area: "landing" };
      return { kind: "pass", area: "landing" };
    case "admin":
      return { kind: "rewrite", area: "admin", pathname: `${ADMIN_ROUTE}${suffix(pathname)}`, tenant: null, basePath: "" };
    case "tenant": {
      const slugIdentifier = identification.identifiers.find((identifier) => identifier.kind === "slug");
      const domainIdentifier = identification.identifiers.find((identifier) => identifier.kind === "domain");
      const segment = slugIdentifier?.value ?? domainIdentifier?.value;
      if (segment === undefined) return { kind: "not-found", area: "invalid" };
      const viaPath = identification.identifiers.some((identifier) => identifier.source === "path");
      const basePath = viaPath ? `/tenant/${segment}` : "";
      // identifyTenant already validated the path's slug; what follows the prefix is the page.
      const rest = viaPath ? pathname.replace(/^\/tenant\/[^/]*/, "") : pathname;
      return {
        kind: "rewrite",
        area: "workspace",
        pathname: `${WORKSPACE_ROUTE}/${encodeURIComponent(segment)}${suffix(rest)}`,
        tenant: segment,
        basePath,
      };
    }
  }
}

/** A workspace segment is a slug, or the host name of a custom domain (slugs have no dots). */
export function isDomainSegment(segment: string): boolean {
  return segment.includes(".");
}
