import type { Metadata } from "next";
import { TenantsTable } from "@/components/admin/tenants-table";
import { siteUrls } from "@/lib/server/site-url";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Tenants" };

export default async function AdminTenantsPage() {
  await prefetch(trpc.tenants.list.queryOptions());
  const urls = await siteUrls();
  return (
    <HydrateClient>
      <TenantsTable workspaceUrlPattern={urls.workspace("{slug}")} />
    </HydrateClient>
  );
}
