"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "@/components/executions/status-badge";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Checkbox } from "@/components/ui/checkbox";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { columnLabel } from "./batch-run-view";
import { display } from "./import-dialog";

type Side = RouterOutputs["batchRuns"]["compare"]["rows"][number]["left"];

/** Two runs' columns over the same dataset, item by item, with the changed ones marked. */
export function CompareView({ leftId, rightId, leftTarget, rightTarget }: { leftId: string; rightId: string; leftTarget: number; rightTarget: number }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const [changedOnly, setChangedOnly] = useState(false);
  const compared = useQuery(
    trpc.batchRuns.compare.queryOptions(leftId && rightId ? { leftId, rightId, leftTarget, rightTarget, changedOnly, pageSize: 200 } : skipToken),
  );
  if (!leftId || !rightId) return <ErrorAlert error={new Error("Choose two runs to compare from a batch run's page.")} title="Nothing to compare" />;
  if (compared.isPending) return <Spinner />;
  if (compared.error) return <ErrorAlert error={compared.error} title="These runs cannot be compared" />;
  const { left, right } = compared.data;
  const leftTargetInfo = left.run.targets[left.target];
  const rightTargetInfo = right.run.targets[right.target];
  return (
    <>
      <PageHeader title="Compare runs" description={`${compared.data.changed} of ${compared.data.totalRows} items changed · ${left.run.datasetName}`} />
      <div className="mb-4 flex items-center gap-4 text-sm">
        <Link className="text-indigo-700 hover:underline" href={href(`/batch-runs/${left.run.id}`)}>
          Left: {leftTargetInfo ? columnLabel(leftTargetInfo) : ""}
        </Link>
        <Link className="text-indigo-700 hover:underline" href={href(`/batch-runs/${right.run.id}`)}>
          Right: {rightTargetInfo ? columnLabel(rightTargetInfo) : ""}
        </Link>
        <Checkbox label="Changed items only" checked={changedOnly} onChange={(event) => setChangedOnly(event.target.checked)} />
      </div>
      <Table>
        <TableCaption className="sr-only">Each item&apos;s two outputs side by side</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>#</TableHead>
            <TableHead>Input</TableHead>
            <TableHead>Left</TableHead>
            <TableHead>Right</TableHead>
            <TableHead>Changed</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {compared.data.rows.map((row, index) => (
            <TableRow key={row.datasetItemId ?? index} className={row.changed ? "bg-amber-50" : undefined}>
              <TableCell className="tabular-nums text-gray-500">{row.position === null ? "—" : row.position + 1}</TableCell>
              <TableCell className="max-w-48 text-xs">
                {Object.entries(row.variables)
                  .slice(0, 3)
                  .map(([name, value]) => `${name}: ${display(value)}`)
                  .join(" · ")}
              </TableCell>
              <SideCell side={row.left} />
              <SideCell side={row.right} />
              <TableCell>{row.changed ? <span className="font-medium text-amber-800">changed</span> : <span className="text-gray-500">same</span>}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

function SideCell({ side }: { side: Side }) {
  const href = useWorkspaceHref();
  if (!side) return <TableCell className="text-gray-400">not in this run</TableCell>;
  return (
    <TableCell className="min-w-64 align-top">
      <Link href={href(`/executions/${side.executionId}`)} className="block space-y-1 hover:bg-gray-50">
        <StatusBadge status={side.status} />
        <p className="text-xs whitespace-pre-wrap text-gray-800">
          {side.excerpt ?? ""}
          {side.truncated ? "…" : ""}
        </p>
      </Link>
    </TableCell>
  );
}
