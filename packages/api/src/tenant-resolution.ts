import { RequestPathLookups, type TenantRow, type TenantStatus } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { ApiConfig } from "./config.ts";
import type { RequestInfo } from "./request-info.ts";
import { identifyTenant, type TenantIdentifier } from "./tenant-identification.ts";

/** A known tenant that is not active: the client learns why (e.g. to show a "suspended" page). */
export class TenantUnavailableError extends TRPCError {
  readonly tenantStatus: Exclude<TenantStatus, "active">;
  constructor(slug: string, status: Exclude<TenantStatus, "active">) {
    super({ code: "FORBIDDEN", message: `The workspace "${slug}" is ${status}. Contact your administrator.` });
    this.tenantStatus = status;
  }
}

function notFound(identifier: TenantIdentifier): TRPCError {
  const message =
    identifier.kind === "domain" ? `No workspace is registered for the host "${identifier.value}".` : `No workspace "${identifier.value}" exists.`;
  return new TRPCError({ code: "NOT_FOUND", message });
}

/**
 * Resolves the request's tenant in the registry (docs/architecture.md: Tenant identity, 3. The registry decides): no
 * identifier → 400, malformed or disagreeing identifiers → 400, unknown → 404, not active →
 * 403 naming the status. There is no default tenant. `lookups`: the request's (context.ts), so
 * that its API key is read as of the same moment.
 */
export async function resolveTenant(request: RequestInfo, config: ApiConfig, lookups = new RequestPathLookups()): Promise<TenantRow> {
  const identification = identifyTenant(request, config.rootDomain);
  if (identification.kind === "none") {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Tenant identification required: use <workspace>.${config.rootDomain}, the x-tenant-id header or the /tenant/<workspace>/ path.`,
    });
  }
  if (identification.kind === "admin") {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The admin host serves no workspace; use the workspace's own host." });
  }
  if (identification.kind === "invalid") throw new TRPCError({ code: "BAD_REQUEST", message: identification.message });

  let tenant: TenantRow | undefined;
  for (const identifier of identification.identifiers) {
    // From this process's cache while nothing changed (@sigil/db: request-path-cache.ts).
    const found = await lookups.tenant(identifier.kind, identifier.value);
    if (!found) throw notFound(identifier);
    if (tenant && tenant.id !== found.id) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "The request names two different workspaces." });
    }
    tenant = found;
  }
  if (!tenant) throw new TRPCError({ code: "BAD_REQUEST", message: "Tenant identification required." });
  if (tenant.status !== "active") throw new TenantUnavailableError(tenant.slug, tenant.status);
  return tenant;
}
