import type { Metadata } from "next";
import { ApiKeys } from "@/components/admin/api-keys";
import { siteUrls } from "@/lib/server/site-url";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "API keys" };

export default async function AdminApiKeysPage() {
  await prefetch(trpc.admin.listApiKeys.queryOptions());
  const urls = await siteUrls();
  return (
    <HydrateClient>
      <ApiKeys adminOrigin={urls.admin} />
    </HydrateClient>
  );
}
