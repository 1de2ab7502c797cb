import { TENANT_FEATURE_DESCRIPTIONS, type TenantFeature } from "@sigil/validators";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/**
 * The page of a feature the workspace does not have, visited directly (the sidebar hides it and
 * the API refuses its procedures: packages/api/src/features.ts).
 */
export function FeatureNotEnabled({ feature }: { feature: TenantFeature }) {
  const { label, description } = TENANT_FEATURE_DESCRIPTIONS[feature];
  return (
    <>
      <PageHeader title={label} />
      <EmptyState
        title={`${label} is not enabled for this workspace`}
        description={`${description} A Sigil administrator can enable the ${feature} feature for this workspace.`}
      />
    </>
  );
}
