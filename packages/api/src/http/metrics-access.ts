import { timingSafeEqual } from "node:crypto";
import { sha256 } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { authenticateSystemAdmin } from "../auth/system-admin-identity.ts";
import type { ApiConfig } from "../config.ts";
import { createInnerContext } from "../context.ts";
import type { RequestInfo } from "../request-info.ts";
import { identifyTenant } from "../tenant-identification.ts";

/**
 * Who may read `/api/metrics` (README: Operating it, Metrics): a scraper sending
 * `Authorization: Bearer <METRICS_TOKEN>` on any host (compared in constant time), or a system
 * administrator on the admin host (session cookie or `sgla_` key, as for the admin console).
 * Everyone else gets 401 (no or a wrong credential) or 403 (a credential that is not an
 * administrator's); the series name workspaces, so they are never public.
 */
export type MetricsAccess = { allowed: true } | { allowed: false; status: 401 | 403; message: string };

function sameToken(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the token.
  return timingSafeEqual(Buffer.from(sha256(given), "hex"), Buffer.from(sha256(expected), "hex"));
}

export async function metricsAccess(request: RequestInfo, metricsToken: string | null, config: ApiConfig): Promise<MetricsAccess> {
  const bearer = request.apiKey;
  if (bearer !== null && metricsToken !== null && sameToken(bearer, metricsToken)) return { allowed: true };
  const adminHost = identifyTenant(request, config.rootDomain).kind === "admin";
  const systemKey = bearer?.startsWith("sgla_") ?? false;
  if (!adminHost || (bearer !== null && !systemKey)) {
    const message =
      bearer === null
        ? `Send Authorization: Bearer <METRICS_TOKEN>, or sign in as a system administrator on admin.${config.rootDomain}.`
        : "The metrics token is not valid.";
    return { allowed: false, status: 401, message };
  }
  try {
    await authenticateSystemAdmin(createInnerContext({ request, config }));
    return { allowed: true };
  } catch (error) {
    if (error instanceof TRPCError) return { allowed: false, status: error.code === "FORBIDDEN" ? 403 : 401, message: error.message };
    throw error;
  }
}
