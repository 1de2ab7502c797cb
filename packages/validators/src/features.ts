import { z } from "zod";

/**
 * The features a workspace can have (a tenant's `settings.features`). A feature that is off hides
 * its pages and its procedures answer FORBIDDEN (packages/api/src/procedures.ts). Names outside
 * this list do nothing, so they are refused rather than stored as if they did.
 */
export const TENANT_FEATURES = ["deployments", "files"] as const;
export type TenantFeature = (typeof TENANT_FEATURES)[number];

/** What each feature gives a workspace, for the admin forms. */
export const TENANT_FEATURE_DESCRIPTIONS: Record<TenantFeature, { label: string; description: string }> = {
  deployments: {
    label: "Deployments",
    description: "Named entry points to a prompt version with a provider and model (Sigil's labels, such as production or staging), run by name.",
  },
  files: {
    label: "Files",
    description: "Uploading files to the workspace and attaching them to executions of prompts that accept files.",
  },
};

export function isTenantFeature(name: string): name is TenantFeature {
  return (TENANT_FEATURES as readonly string[]).includes(name);
}

export const tenantFeature = z.enum(TENANT_FEATURES, {
  error: (issue) => `Sigil has no "${String(issue.input)}" feature; the features are ${TENANT_FEATURES.join(" and ")}.`,
});

/** A tenant's features: known names only, each once. */
export const tenantFeatures = z
  .array(tenantFeature)
  .max(TENANT_FEATURES.length)
  .refine((names) => new Set(names).size === names.length, "Name each feature once.");

/** The message of a procedure refused because its feature is off (also matched by the web app). */
export function featureDisabledMessage(feature: TenantFeature): string {
  return `The ${feature} feature is not enabled for this workspace. A Sigil administrator can enable it.`;
}
