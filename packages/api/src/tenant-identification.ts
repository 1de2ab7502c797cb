import { isTenantId, slugProblem } from "@sigil/db";

/** Where a tenant identifier came from (docs/architecture.md: Tenant identity, 1. Identifiers). */
export type IdentifierSource = "subdomain" | "header" | "path" | "domain";

export interface TenantIdentifier {
  source: IdentifierSource;
  /** A slug, a registry id (header only) or a custom domain. */
  kind: "slug" | "id" | "domain";
  value: string;
}

export type Identification =
  /** No tenant named: the landing page, public procedures. */
  | { kind: "none" }
  /** The admin dashboard's host. */
  | { kind: "admin" }
  | { kind: "tenant"; identifiers: TenantIdentifier[] }
  /** Malformed or contradictory identification: a 400 with this message. */
  | { kind: "invalid"; message: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Labels of the root domain that are parts of Sigil, not tenants. */
const NON_TENANT_LABELS = new Set(["www", "api"]);
const ADMIN_LABEL = "admin";

function isIpLiteral(host: string): boolean {
  return IPV4.test(host) || host.startsWith("[") || host.includes(":");
}

/**
 * Reads the tenant identifiers of a request: the subdomain of `rootDomain`, the `x-tenant-id`
 * header, the `/tenant/<slug>/` path prefix and, for hosts outside the root domain, a custom
 * domain. Pure: the registry lookup happens afterwards (`resolveTenant`). Every identifier is
 * validated and rejected when malformed, never cleaned up; identifiers that disagree are invalid.
 */
export function identifyTenant(request: { host: string; path: string; tenantHeader: string | null }, rootDomain: string): Identification {
  const identifiers: TenantIdentifier[] = [];
  const root = rootDomain.toLowerCase();
  const host = request.host;
  let adminHost = false;

  if (host !== "" && !isIpLiteral(host) && host !== root) {
    if (host.endsWith(`.${root}`)) {
      const label = host.slice(0, -(root.length + 1));
      if (label === ADMIN_LABEL) adminHost = true;
      else if (!NON_TENANT_LABELS.has(label)) {
        if (label.includes(".")) return { kind: "invalid", message: `The host ${JSON.stringify(host)} names no tenant (one label before ${root} expected).` };
        const problem = slugProblem(label);
        if (problem) return { kind: "invalid", message: `Invalid tenant in host: ${problem}.` };
        identifiers.push({ source: "subdomain", kind: "slug", value: label });
      }
    } else {
      identifiers.push({ source: "domain", kind: "domain", value: host });
    }
  }

  if (request.tenantHeader !== null) {
    const value = request.tenantHeader.trim();
    if (isTenantId(value)) identifiers.push({ source: "header", kind: "id", value });
    else {
      const problem = slugProblem(value);
      if (problem) return { kind: "invalid", message: `Invalid x-tenant-id header: ${problem}.` };
      identifiers.push({ source: "header", kind: "slug", value });
    }
  }

  const pathMatch = /^\/tenant\/([^/]*)(?:\/|$)/.exec(request.path);
  if (pathMatch) {
    let value = pathMatch[1] ?? "";
    try {
      value = decodeURIComponent(value);
    } catch {
      return { kind: "invalid", message: "Invalid tenant in path: it is not valid URL encoding." };
    }
    const problem = slugProblem(value);
    if (problem) return { kind: "invalid", message: `Invalid tenant in path: ${problem}.` };
    identifiers.push({ source: "path", kind: "slug", value });
  }

  if (adminHost) {
    return identifiers.length > 0 ? { kind: "invalid", message: "The admin host serves no tenant; use the tenant's own host." } : { kind: "admin" };
  }
  const slugs = new Set(identifiers.filter((i) => i.kind === "slug").map((i) => i.value));
  if (slugs.size > 1) {
    return { kind: "invalid", message: `The request names different tenants (${[...slugs].join(", ")}).` };
  }
  return identifiers.length === 0 ? { kind: "none" } : { kind: "tenant", identifiers };
}
