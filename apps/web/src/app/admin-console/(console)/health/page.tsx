import type { Metadata } from "next";
import { Health } from "@/components/admin/health";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Health" };

export default async function AdminHealthPage() {
  // The tenant list to check; the check itself runs from the browser, in chunks, with progress.
  await prefetch(trpc.admin.migrationStatus.queryOptions());
  return (
    <HydrateClient>
      <Health />
    </HydrateClient>
  );
}
