import type { Metadata } from "next";
import { Health } from "@/components/admin/health";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Health" };

export default async function AdminHealthPage() {
  // The latest check, finished or still running; a new one is started from the page.
  await prefetch(trpc.maintenance.list.queryOptions({ kind: "health", limit: 1 }));
  return (
    <HydrateClient>
      <Health />
    </HydrateClient>
  );
}
