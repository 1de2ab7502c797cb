import { tenantModel } from "../src/index.ts";

/**
 * The tenant ids named by `--tenant <slug>` options (undefined: every tenant). An unknown slug
 * ends the script with exit code 2, before anything changed.
 */
export async function tenantIdsFromSlugs(slugs: readonly string[] | undefined): Promise<string[] | undefined> {
  if (!slugs) return undefined;
  const ids: string[] = [];
  for (const slug of slugs) {
    const tenant = await tenantModel.findBySlug(slug);
    if (!tenant) {
      console.error(`No tenant with slug ${JSON.stringify(slug)}.`);
      process.exit(2);
    }
    ids.push(tenant.id);
  }
  return ids;
}
