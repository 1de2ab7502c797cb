import type { Metadata } from "next";
import { AdminOverview } from "@/components/admin/overview";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Overview" };

export default async function AdminOverviewPage() {
  await Promise.all([prefetch(trpc.admin.stats.queryOptions()), prefetch(trpc.tenants.list.queryOptions())]);
  return (
    <HydrateClient>
      <AdminOverview />
    </HydrateClient>
  );
}
