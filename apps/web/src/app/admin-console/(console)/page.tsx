import type { Metadata } from "next";
import { AdminOverview } from "@/components/admin/overview";
import { OVERVIEW_TOP } from "@/components/admin/overview-queries";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Overview" };

export default async function AdminOverviewPage() {
  await Promise.all([
    prefetch(trpc.admin.stats.queryOptions()),
    ...Object.values(OVERVIEW_TOP).map((input) => prefetch(trpc.tenants.list.queryOptions(input))),
  ]);
  return (
    <HydrateClient>
      <AdminOverview />
    </HydrateClient>
  );
}
