import "server-only";

import { headers } from "next/headers";
import { isDomainSegment, ROUTE_HEADERS } from "@/lib/routing";
import { hostApi } from "@/lib/server/host-api";

export interface PlanLimits {
  users: number;
  storageMb: number;
  executionsPerMonth: number;
}

/**
 * The plan limits of this request's workspace, read from the registry the way the API resolves
 * the tenant (same Host, path prefix and routed segment as `@/trpc/server`).
 *
 * Stopgap: no tenant procedure returns the seat limit (`files.usage` and `executions.stats`
 * carry the other two). Replace with the API's answer once `auth.me` (or a usage procedure)
 * includes the plan's limits. Returns null when the workspace cannot be resolved.
 */
export async function loadPlanLimits(): Promise<PlanLimits | null> {
  const incoming = await headers();
  const hostHeader = incoming.get("host") ?? "localhost";
  const segment = incoming.get(ROUTE_HEADERS.tenant);
  const basePath = incoming.get(ROUTE_HEADERS.basePath) ?? "";
  const { apiConfig, hostName, resolveTenant } = hostApi();
  try {
    const tenant = await resolveTenant(
      {
        method: "GET",
        host: hostName(hostHeader),
        hostHeader: hostHeader.toLowerCase(),
        path: basePath === "" ? "/" : `${basePath}/`,
        tenantHeader: segment && !isDomainSegment(segment) ? segment : null,
        cookies: {},
        origin: null,
        apiKey: null,
        ip: null,
        userAgent: null,
        secure: false,
      },
      apiConfig(),
    );
    return { users: tenant.limitUsers, storageMb: tenant.limitStorageMb, executionsPerMonth: tenant.limitExecutionsPerMonth };
  } catch {
    return null;
  }
}
