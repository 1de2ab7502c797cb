import type { Metadata } from "next";
import { Migrations } from "@/components/admin/migrations";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Migrations" };

export default async function AdminMigrationsPage() {
  await prefetch(trpc.admin.migrationStatus.queryOptions());
  return (
    <HydrateClient>
      <Migrations />
    </HydrateClient>
  );
}
