import type { Metadata } from "next";
import { deploymentsListInput, PROMPT_OPTIONS_INPUT } from "@/components/deployments/constants";
import { DeploymentsView } from "@/components/deployments/deployments-view";
import { pageFromSearchParam } from "@/components/ui/pagination";
import { FeatureNotEnabled } from "@/components/workspace/feature-not-enabled";
import { idParam } from "@/lib/url-query";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Deployments" };

/** `/deployments?prompt=<id>`: that prompt's deployments (the prompt page links here). */
export default async function DeploymentsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[]; prompt?: string | string[] }> }) {
  const query = await searchParams;
  const page = pageFromSearchParam(query.page);
  const promptId = idParam(query.prompt);
  const session = await loadWorkspaceSession();
  if (session.status !== "signed-in") return null;
  if (!session.me.tenant.features.includes("deployments")) return <FeatureNotEnabled feature="deployments" />;
  const isAdmin = session.me.user.role === "admin";
  await Promise.all([
    prefetch(trpc.deployments.list.queryOptions(deploymentsListInput(page, promptId))),
    prefetch(trpc.prompts.list.queryOptions(PROMPT_OPTIONS_INPUT)),
    // The provider choices of the form; settings are for admins only.
    isAdmin ? prefetch(trpc.settings.list.queryOptions()) : Promise.resolve(),
  ]);
  return (
    <HydrateClient>
      <DeploymentsView page={page} promptId={promptId} />
    </HydrateClient>
  );
}
