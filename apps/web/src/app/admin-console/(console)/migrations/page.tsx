import type { Metadata } from "next";
import { Migrations } from "@/components/admin/migrations";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Migrations" };

export default async function AdminMigrationsPage() {
  await Promise.all([prefetch(trpc.admin.migrationStatus.queryOptions()), prefetch(trpc.maintenance.list.queryOptions({ kind: "migrate", limit: 1 }))]);
  return (
    <HydrateClient>
      <Migrations />
    </HydrateClient>
  );
}
