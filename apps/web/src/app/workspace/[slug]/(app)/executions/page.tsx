import type { Metadata } from "next";
import { ExecutionList, PROMPT_FILTER_INPUT } from "@/components/executions/execution-list";
import { executionListInput, filterParams, parseExecutionFilters } from "@/components/executions/list-params";
import { getQueryClient, HydrateClient, prefetch, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Executions" };

export default async function ExecutionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const filters = parseExecutionFilters(filterParams((name) => params[name]));
  const [list] = await Promise.all([
    getQueryClient()
      .fetchQuery(trpc.executions.list.queryOptions(executionListInput(filters)))
      .catch(() => null), // the browser asks again and shows the server's message
    prefetch(trpc.executions.stats.queryOptions()),
    prefetch(trpc.prompts.list.queryOptions(PROMPT_FILTER_INPUT)),
  ]);
  // The rows' prompt and deployment names, so the first paint has them.
  const rows = list?.data ?? [];
  const session = await loadWorkspaceSession();
  const deployments = session.status === "signed-in" && session.me.tenant.features.includes("deployments");
  await Promise.all([
    ...[...new Set(rows.map((row) => row.promptId))].map((id) => prefetch(trpc.prompts.get.queryOptions({ id }))),
    ...[...new Set(rows.flatMap((row) => (row.deploymentId && deployments ? [row.deploymentId] : [])))].map((id) =>
      prefetch(trpc.deployments.get.queryOptions({ id })),
    ),
  ]);
  return (
    <HydrateClient>
      <ExecutionList />
    </HydrateClient>
  );
}
