import { tenantContext } from "@sigil/db";
import type { ApiKeyScope, TenantFeature, UserRole } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authenticate } from "./auth/identity.ts";
import { assertSameOrigin } from "./auth/origin.ts";
import { assertFeatureEnabled } from "./features.ts";
import { enforceApiKeyRateLimits, enforceRateLimits } from "./auth/rate-limit.ts";
import { authenticateSystemAdmin } from "./auth/system-admin-identity.ts";
import { recordRequestTenant } from "./observability/logger.ts";
import { identifyTenant } from "./tenant-identification.ts";
import { assertTenantWritable } from "./tenant-maintenance-guard.ts";
import { resolveTenant } from "./tenant-resolution.ts";
import { publicProcedure } from "./trpc.ts";

/**
 * public → tenant → authed → role (docs/architecture.md: the procedure chain). The tenant procedure resolves the tenant
 * from the request and runs the rest of the chain inside `tenantContext.runWithTenant`, so every
 * model call below is scoped to it.
 */
export const tenantProcedure = publicProcedure.use(async ({ ctx, type, path, next }) => {
  const tenant = await resolveTenant(ctx.request, ctx.config, ctx.lookups);
  recordRequestTenant(tenant.slug);
  // Before anything else runs: a tenant in maintenance serves reads, refuses writes (503).
  if (type === "mutation") assertTenantWritable(tenant, path);
  return tenantContext.runWithTenant(tenant.id, () => next({ ctx: { tenant } }));
});

const ROLE_RANK: Record<UserRole, number> = { viewer: 0, user: 1, admin: 2 };

export interface Access {
  /** The least role that may call: viewer reads; user also writes content; admin manages. */
  role: UserRole;
  /** The scope an API key needs ("any": every key); without one, only signed-in users may call. */
  scope?: ApiKeyScope | "any";
  /** The tenant feature the procedure belongs to: while the tenant does not have it, FORBIDDEN for everyone. */
  feature?: TenantFeature;
}

/** A procedure for signed-in users (or API keys with `scope`) of the resolved tenant. */
export function authedProcedure(access: Access) {
  return tenantProcedure.use(async ({ ctx, type, next }) => {
    const identity = await authenticate(ctx, ctx.tenant);
    // Before scopes and roles: whoever calls, a feature the workspace does not have is the answer.
    if (access.feature) assertFeatureEnabled(ctx.tenant, access.feature);
    if (identity.kind === "session" && type === "mutation") assertSameOrigin(ctx.request, { required: true });
    if (identity.kind === "apiKey") {
      await enforceApiKeyRateLimits(ctx, ctx.tenant.id, identity.apiKey.id);
      if (!access.scope) throw new TRPCError({ code: "FORBIDDEN", message: "This operation needs a signed-in user; API keys cannot perform it." });
      if (access.scope !== "any" && !identity.apiKey.scopes.includes(access.scope)) {
        throw new TRPCError({ code: "FORBIDDEN", message: `This API key lacks the "${access.scope}" scope.` });
      }
    }
    if (ROLE_RANK[identity.user.role] < ROLE_RANK[access.role]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${access.role} role; you are a ${identity.user.role}.` });
    }
    return next({ ctx: { identity, user: identity.user } });
  });
}

/** Only on `admin.<root>`, for a system administrator's session or `sgla_` key. */
export const systemAdminProcedure = publicProcedure.use(async ({ ctx, type, next }) => {
  if (identifyTenant(ctx.request, ctx.config.rootDomain).kind !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: `System administration is available only on admin.${ctx.config.rootDomain}.` });
  }
  const identity = await authenticateSystemAdmin(ctx);
  if (identity.via === "apiKey") {
    await enforceRateLimits(ctx, "API requests", [{ key: `system-api-key:${identity.apiKeyId}`, perMinute: ctx.config.rateLimits.apiPerKey, lease: true }]);
  }
  if (identity.via === "session" && type === "mutation") assertSameOrigin(ctx.request, { required: true });
  return next({ ctx: { systemAdmin: identity.admin } });
});

/** Public procedures of the admin host (sign-in). */
export const adminHostProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (identifyTenant(ctx.request, ctx.config.rootDomain).kind !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: `System administration is available only on admin.${ctx.config.rootDomain}.` });
  }
  return next();
});
