import type { Metadata } from "next";
import { TenantsTable } from "@/components/admin/tenants-table";
import { tenantsQueryFromSearchParams } from "@/components/admin/tenants-query";
import { siteUrls } from "@/lib/server/site-url";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Tenants" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminTenantsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = tenantsQueryFromSearchParams(await searchParams);
  await prefetch(trpc.tenants.list.queryOptions(query));
  const urls = await siteUrls();
  return (
    <HydrateClient>
      <TenantsTable query={query} workspaceUrlPattern={urls.workspace("{slug}")} />
    </HydrateClient>
  );
}
