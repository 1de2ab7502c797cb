"use client";

import { skipToken, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { compactJson } from "@/components/deployments/json";
import { useAuthorName } from "@/components/prompts/authors";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { useFeature, useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import { CommentableOutput, ExecutionComments } from "./execution-comments";
import { ExecutionReviewControls, ValidationErrors, ValidityBadge } from "./execution-review";
import { executionDuration, formatDuration, isActive } from "./format";
import { StatusBadge } from "./status-badge";
import { formatTokens, formatUsd } from "@/components/usage/usage-format";

/** The live status is asked for every second until the execution has finished. */
const POLL_MS = 1_000;

/**
 * One execution: live status until it finishes, the result (a region named "Result", with its
 * schema validity and anchored comments) or the error, triage (star, review status, cancel while
 * pending), comments, its input, timings, and links to the prompt version and deployment it ran.
 */
export function ExecutionDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const me = useMe();
  const queryClient = useQueryClient();
  const authorName = useAuthorName();
  const resultHeadingId = useId();
  const inputHeadingId = useId();
  const { data: execution } = useSuspenseQuery(
    trpc.executions.get.queryOptions({ id }, { refetchInterval: (query) => (isActive(query.state.data?.status) ? POLL_MS : false) }),
  );
  const prompt = useQuery(trpc.prompts.get.queryOptions({ id: execution.promptId }));
  const deploymentsOn = useFeature("deployments");
  const deployment = useQuery(trpc.deployments.get.queryOptions(execution.deploymentId && deploymentsOn ? { id: execution.deploymentId } : skipToken));
  const active = isActive(execution.status);

  // When it finishes while the page is open, the list and the stats are out of date.
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      void queryClient.invalidateQueries({ queryKey: trpc.executions.list.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.executions.stats.queryKey() });
    }
    wasActive.current = active;
  }, [active, queryClient, trpc]);

  const promptName = prompt.data?.name ?? "Prompt";
  const duration = executionDuration(execution);
  const inputEntries = Object.entries(execution.input);
  const versionHref = `${href(`/prompts/${execution.promptId}`)}?tab=versions&to=${execution.promptVersion}`;
  const runAgainHref = `${href("/executions/new")}?${new URLSearchParams(
    execution.deploymentId && deploymentsOn
      ? { deployment: execution.deploymentId, from: execution.id }
      : { prompt: execution.promptId, version: String(execution.promptVersion), from: execution.id },
  ).toString()}`;

  return (
    <>
      <div className="mb-2">
        <Link href={href("/executions")} className="text-sm font-medium text-gray-600 hover:text-gray-900">
          ← Executions
        </Link>
      </div>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span>{promptName}</span>
            <span className="text-base font-normal text-gray-500">v{execution.promptVersion}</span>
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span>Execution</span>
            <code className="font-mono text-xs text-gray-700">{execution.id}</code>
            <CopyButton value={execution.id} label="Copy ID" srLabel="of the execution" variant="ghost" size="sm" className="h-6 px-2 text-xs" />
          </span>
        }
        actions={
          me.user.role !== "viewer" && !active ? (
            <Link href={runAgainHref} className={buttonClasses({ variant: "secondary" })}>
              Run again
            </Link>
          ) : null
        }
      />

      <div className="mb-6 flex flex-wrap items-center gap-3 rounded-lg border border-gray-200 bg-white px-4 py-3 shadow-xs" role="status" aria-live="polite">
        <span className="text-sm font-medium text-gray-700">Status</span>
        <StatusBadge status={execution.status} className="text-sm" />
        {active ? (
          <span className="flex items-center gap-2 text-sm text-gray-600">
            <Spinner />
            {execution.status === "pending" ? "Waiting for a worker to pick it up…" : "Running…"} This page updates by itself.
          </span>
        ) : (
          <span className="text-sm text-gray-600">
            {execution.status === "completed" ? "Finished" : execution.status === "cancelled" ? "Cancelled before it ran" : "Failed"}
            {duration !== null ? ` in ${formatDuration(duration)}` : ""}
            {execution.attempts > 1 ? ` after ${execution.attempts} attempts` : ""}.
          </span>
        )}
        <ValidityBadge valid={execution.valid} className="text-sm" />
        <span className="ml-auto">
          <ExecutionReviewControls execution={execution} />
        </span>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <section aria-labelledby={resultHeadingId} className="rounded-lg border border-gray-200 bg-white shadow-xs">
            <div className="flex items-center justify-between gap-3 border-b border-gray-100 px-5 py-3.5">
              <h2 id={resultHeadingId} className="text-base font-semibold text-gray-900">
                Result
              </h2>
              {execution.status === "completed" && execution.result !== null ? (
                <CopyButton value={execution.result} label="Copy" srLabel="the result" size="sm" />
              ) : null}
            </div>
            <div className="px-5 py-4">
              {execution.status === "failed" ? (
                <Alert tone="danger" title="The execution failed">
                  <span className="font-mono text-[13px] whitespace-pre-wrap">{execution.error ?? "No error message was recorded."}</span>
                </Alert>
              ) : active ? (
                <div className="space-y-2" aria-hidden="true">
                  <div className="h-4 w-3/4 animate-pulse rounded bg-gray-100" />
                  <div className="h-4 w-1/2 animate-pulse rounded bg-gray-100" />
                  <div className="h-4 w-2/3 animate-pulse rounded bg-gray-100" />
                </div>
              ) : execution.status === "cancelled" ? (
                <p className="text-sm text-gray-500 italic">Cancelled before a worker ran it: there is no result.</p>
              ) : execution.result === null || execution.result === "" ? (
                <p className="text-sm text-gray-500 italic">The provider returned an empty result.</p>
              ) : (
                <CommentableOutput executionId={execution.id} output={execution.result} />
              )}
              <ValidationErrors execution={execution} />
              {active ? <p className="mt-3 text-sm text-gray-500">The result appears here when the execution completes.</p> : null}
            </div>
          </section>

          <ExecutionComments executionId={execution.id} />

          <section aria-labelledby={inputHeadingId} className="rounded-lg border border-gray-200 bg-white shadow-xs">
            <div className="border-b border-gray-100 px-5 py-3.5">
              <h2 id={inputHeadingId} className="text-base font-semibold text-gray-900">
                Input
              </h2>
            </div>
            {inputEntries.length === 0 ? (
              <p className="px-5 py-4 text-sm text-gray-500">No input variables.</p>
            ) : (
              <dl className="divide-y divide-gray-100">
                {inputEntries.map(([name, value]) => (
                  <div key={name} className="grid gap-1 px-5 py-3 sm:grid-cols-[10rem_minmax(0,1fr)] sm:gap-4">
                    <dt className="font-mono text-[13px] font-medium text-gray-700">{name}</dt>
                    <dd className="max-h-60 overflow-auto font-mono text-[13px] break-words whitespace-pre-wrap text-gray-900">
                      {typeof value === "string" ? value === "" ? <span className="text-gray-500 italic">empty</span> : value : jsonText(value)}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            {execution.fileIds.length > 0 ? (
              <p className="border-t border-gray-100 px-5 py-3 text-sm text-gray-600">
                {execution.fileIds.length === 1 ? "1 file attached" : `${execution.fileIds.length} files attached`}
              </p>
            ) : null}
          </section>
        </div>

        <aside aria-label="Details" className="self-start rounded-lg border border-gray-200 bg-white shadow-xs">
          <h2 className="border-b border-gray-100 px-5 py-3.5 text-base font-semibold text-gray-900">Details</h2>
          <dl className="divide-y divide-gray-100 text-sm">
            <Detail label="Prompt version">
              <Link href={versionHref} className="font-medium text-brand-700 hover:text-brand-900 hover:underline">
                {promptName} v{execution.promptVersion}
              </Link>
            </Detail>
            {execution.deploymentId ? (
              <Detail label="Deployment">
                {deployment.data ? (
                  <span className="font-mono text-[13px]">{deployment.data.name}</span>
                ) : (
                  <span className="text-gray-500">{!deploymentsOn ? "not shown: deployments are not enabled" : deployment.isPending ? "…" : "deleted"}</span>
                )}
              </Detail>
            ) : null}
            <Detail label="Provider">
              <span className="font-mono text-[13px]">{execution.provider}</span>
            </Detail>
            <Detail label="Model">
              <span className="font-mono text-[13px]">{execution.model}</span>
            </Detail>
            <Detail label="Options">
              {Object.keys(execution.options).length === 0 ? (
                <span className="text-gray-500">none</span>
              ) : (
                <span className="font-mono text-[13px]">{compactJson(execution.options)}</span>
              )}
            </Detail>
            <Detail label="Tokens">
              {execution.inputTokens === null && execution.outputTokens === null ? (
                <span className="text-gray-500">{active ? "not yet" : "none reported"}</span>
              ) : (
                `${formatTokens(execution.inputTokens ?? 0)} in · ${formatTokens(execution.outputTokens ?? 0)} out`
              )}
            </Detail>
            <Detail label="Cost">
              {execution.costUsd === null ? (
                <span className="text-gray-500">{execution.inputTokens === null && execution.outputTokens === null ? "—" : "no price for this model"}</span>
              ) : (
                formatUsd(execution.costUsd)
              )}
            </Detail>
            <Detail label="Created">
              <DateTime value={execution.createdAt} format="seconds" />
            </Detail>
            <Detail label="Started">
              <DateTime value={execution.startedAt} format="seconds" fallback={active ? "not yet" : "—"} />
            </Detail>
            <Detail label="Completed">
              <DateTime value={execution.completedAt} format="seconds" fallback={active ? "not yet" : "—"} />
            </Detail>
            <Detail label="Duration">{duration === null ? <span className="text-gray-500">—</span> : formatDuration(duration)}</Detail>
            <Detail label="Attempts">{execution.attempts}</Detail>
            <Detail label="Started by">{authorName(execution.createdBy)}</Detail>
          </dl>
        </aside>
      </div>
    </>
  );
}

/** Short JSON on one line, longer JSON indented. */
function jsonText(value: unknown): string {
  const compact = JSON.stringify(value) ?? "";
  return compact.length <= 120 ? compact : (JSON.stringify(value, null, 2) ?? "");
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-4 px-5 py-2.5">
      <dt className="shrink-0 text-gray-500">{label}</dt>
      <dd className="min-w-0 text-right break-words text-gray-900">{children}</dd>
    </div>
  );
}
