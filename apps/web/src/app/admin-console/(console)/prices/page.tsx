import type { Metadata } from "next";
import { Prices } from "@/components/admin/prices";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Prices" };

export default async function AdminPricesPage() {
  await prefetch(trpc.admin.prices.queryOptions());
  return (
    <HydrateClient>
      <Prices />
    </HydrateClient>
  );
}
