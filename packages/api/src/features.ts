import type { TenantRow } from "@sigil/db";
import { featureDisabledMessage, type TenantFeature } from "@sigil/validators";
import { TRPCError } from "@trpc/server";

/**
 * A tenant feature that is off refuses its work with FORBIDDEN naming the feature, for sessions and
 * API keys alike: procedures declare theirs (`authedProcedure({ feature })`, procedures.ts), and
 * shared paths that reach a feature's data (an execution by deployment or with files) check here.
 */
export function assertFeatureEnabled(tenant: Pick<TenantRow, "features">, feature: TenantFeature): void {
  if (!tenant.features.includes(feature)) throw new TRPCError({ code: "FORBIDDEN", message: featureDisabledMessage(feature) });
}
