import type { Metadata } from "next";
import { DEPLOYMENTS_PAGE_SIZE, PROMPT_OPTIONS_INPUT } from "@/components/deployments/constants";
import { DeploymentsView } from "@/components/deployments/deployments-view";
import { pageFromSearchParam } from "@/components/ui/pagination";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Deployments" };

export default async function DeploymentsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  const page = pageFromSearchParam((await searchParams).page);
  const session = await loadWorkspaceSession();
  const isAdmin = session.status === "signed-in" && session.me.user.role === "admin";
  await Promise.all([
    prefetch(trpc.deployments.list.queryOptions({ page, pageSize: DEPLOYMENTS_PAGE_SIZE })),
    prefetch(trpc.prompts.list.queryOptions(PROMPT_OPTIONS_INPUT)),
    // The provider choices of the form; settings are for admins only.
    isAdmin ? prefetch(trpc.settings.list.queryOptions()) : Promise.resolve(),
  ]);
  return (
    <HydrateClient>
      <DeploymentsView page={page} />
    </HydrateClient>
  );
}
