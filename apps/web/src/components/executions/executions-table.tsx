"use client";

import { useQueries } from "@tanstack/react-query";
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFeature, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { ValidityBadge } from "./execution-review";
import { executionDuration, formatDuration } from "./format";
import { REVIEW_LABELS } from "./review";
import { StatusBadge } from "./status-badge";

export type ExecutionRow = RouterOutputs["executions"]["list"]["data"][number];

/** Names of the prompts and deployments a page of executions refers to (cached per id). */
export function useExecutionNames(rows: readonly ExecutionRow[]) {
  const trpc = useTRPC();
  const promptIds = [...new Set(rows.map((row) => row.promptId))];
  // Without the deployments feature their names cannot be read (the API refuses); rows say "a deployment".
  const deploymentsOn = useFeature("deployments");
  const deploymentIds = deploymentsOn ? [...new Set(rows.flatMap((row) => (row.deploymentId ? [row.deploymentId] : [])))] : [];
  const prompts = useQueries({ queries: promptIds.map((id) => ({ ...trpc.prompts.get.queryOptions({ id }), staleTime: 60_000 })) });
  const deployments = useQueries({ queries: deploymentIds.map((id) => ({ ...trpc.deployments.get.queryOptions({ id }), staleTime: 60_000 })) });
  const promptNames = new Map<string, string>();
  for (const query of prompts) if (query.data) promptNames.set(query.data.id, query.data.name);
  const deploymentNames = new Map<string, string>();
  for (const query of deployments) if (query.data) deploymentNames.set(query.data.id, query.data.name);
  return { promptNames, deploymentNames };
}

/**
 * Executions, newest first: prompt (optional), version, status with schema validity, star and
 * review status, provider/model, created and duration. The prompt's name (or, without it, the creation time) links to the execution.
 */
export function ExecutionsTable({ rows, caption, showPrompt = true }: { rows: readonly ExecutionRow[]; caption: string; showPrompt?: boolean }) {
  const href = useWorkspaceHref();
  const { promptNames, deploymentNames } = useExecutionNames(rows);
  return (
    <Table>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {showPrompt ? <TableHead>Prompt</TableHead> : null}
          <TableHead className="w-20">Version</TableHead>
          <TableHead className="w-28">Status</TableHead>
          <TableHead className="w-32">Review</TableHead>
          <TableHead>Provider / model</TableHead>
          <TableHead className="w-36">Created</TableHead>
          <TableHead className="w-24 text-right">Duration</TableHead>
          {showPrompt ? null : (
            <TableHead className="w-16">
              <span className="sr-only">Open</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const duration = executionDuration(row);
          const deploymentName = row.deploymentId ? deploymentNames.get(row.deploymentId) : undefined;
          return (
            <TableRow key={row.id}>
              {showPrompt ? (
                <TableCell className="font-medium">
                  <Link href={href(`/executions/${row.id}`)} className="text-brand-700 hover:text-brand-900 hover:underline">
                    {promptNames.get(row.promptId) ?? <span className="text-gray-500">Prompt …{row.promptId.slice(-6)}</span>}
                  </Link>
                  {row.deploymentId ? (
                    <span className="block text-xs font-normal text-gray-500">
                      via {deploymentName ? <span className="font-mono">{deploymentName}</span> : "a deployment"}
                    </span>
                  ) : null}
                </TableCell>
              ) : null}
              <TableCell className="text-gray-700 tabular-nums">v{row.promptVersion}</TableCell>
              <TableCell>
                <span className="flex items-center gap-1.5">
                  <StatusBadge status={row.status} />
                  <ValidityBadge valid={row.valid} />
                </span>
              </TableCell>
              <TableCell className="whitespace-nowrap text-gray-700">
                {row.starred ? (
                  <span className="mr-1 text-amber-500" aria-label="Starred">
                    ★
                  </span>
                ) : null}
                {REVIEW_LABELS[row.reviewStatus]}
              </TableCell>
              <TableCell className="text-gray-700">
                <span className="font-mono text-[13px]">{row.provider}</span>
                <span className="text-gray-500"> / </span>
                <span className="font-mono text-[13px]">{row.model}</span>
              </TableCell>
              <TableCell className="whitespace-nowrap text-gray-600">
                <RelativeTime value={row.createdAt} />
              </TableCell>
              <TableCell className="text-right whitespace-nowrap text-gray-700 tabular-nums">
                {duration === null ? <span className="text-gray-500">—</span> : formatDuration(duration)}
              </TableCell>
              {showPrompt ? null : (
                <TableCell className="text-right">
                  <Link
                    href={href(`/executions/${row.id}`)}
                    aria-label={`View the execution of v${row.promptVersion}`}
                    className="text-sm font-medium text-brand-700 hover:text-brand-900 hover:underline"
                  >
                    View
                  </Link>
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
