"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorAlert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/spinner";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import { ExecutionsTable } from "./executions-table";
import { isActive } from "./format";

const RECENT = 10;

/** The latest executions of one prompt (live while some are still running), with a link to all of them. */
export function PromptExecutions({ promptId, promptName }: { promptId: string; promptName: string }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const list = useQuery(
    trpc.executions.list.queryOptions(
      { promptId, pageSize: RECENT },
      { refetchInterval: (query) => (query.state.data?.data.some((row) => isActive(row.status)) ? 2_000 : false) },
    ),
  );
  if (list.isPending) {
    return (
      <div role="status" className="space-y-2">
        <span className="sr-only">Loading executions…</span>
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  }
  if (list.error) return <ErrorAlert error={list.error} title="Could not load the executions" />;
  if (list.data.total === 0) {
    return <EmptyState title="No executions yet" description="Runs of this prompt, and of deployments that use it, appear here." />;
  }
  return (
    <div className="space-y-3">
      <div className="flex items-baseline justify-between gap-3">
        <h2 className="text-base font-semibold text-gray-900">Recent executions</h2>
        <Link href={`${href("/executions")}?prompt=${promptId}`} className="text-sm font-medium text-brand-700 hover:text-brand-900 hover:underline">
          {list.data.total > RECENT ? `All ${list.data.total} executions →` : "Open in Executions →"}
        </Link>
      </div>
      <ExecutionsTable rows={list.data.data} caption={`Latest executions of ${promptName}`} showPrompt={false} />
    </div>
  );
}
