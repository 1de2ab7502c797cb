import type { Metadata } from "next";
import { Migrations } from "@/components/admin/migrations";
import { migrationsQueryFromSearchParams } from "@/components/admin/migrations-query";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Migrations" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminMigrationsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = migrationsQueryFromSearchParams(await searchParams);
  await Promise.all([prefetch(trpc.admin.migrationStatus.queryOptions(query)), prefetch(trpc.maintenance.list.queryOptions({ kind: "migrate", limit: 1 }))]);
  return (
    <HydrateClient>
      <Migrations query={query} />
    </HydrateClient>
  );
}
