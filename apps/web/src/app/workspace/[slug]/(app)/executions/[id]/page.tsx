import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ExecutionDetail } from "@/components/executions/execution-detail";
import { trpcErrorCode } from "@/lib/trpc-errors";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Execution" };

export default async function ExecutionPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { id } = await params;
  let execution;
  try {
    execution = await getQueryClient().fetchQuery(trpc.executions.get.queryOptions({ id }));
  } catch (error) {
    // Unknown, malformed, or another workspace's id: this workspace has no such execution.
    const code = trpcErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") notFound();
    throw error;
  }
  const session = await loadWorkspaceSession();
  const deployments = session.status === "signed-in" && session.me.tenant.features.includes("deployments");
  await Promise.all([
    prefetch(trpc.prompts.get.queryOptions({ id: execution.promptId })),
    execution.deploymentId && deployments ? prefetch(trpc.deployments.get.queryOptions({ id: execution.deploymentId })) : null,
  ]);
  return (
    <HydrateClient>
      <ExecutionDetail id={id} />
    </HydrateClient>
  );
}
