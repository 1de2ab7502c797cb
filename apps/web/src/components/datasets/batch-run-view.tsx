"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "@/components/executions/status-badge";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Select } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { display } from "./import-dialog";
import { PageButtons } from "./page-buttons";
import { formatUsd } from "@/components/usage/usage-format";
import { RunStatusBadge } from "./run-status";

/** While the run runs, its progress and grid are asked for every second. */
const POLL_MS = 1_000;
const GRID_PAGE_SIZE = 100;

type Grid = RouterOutputs["batchRuns"]["results"];
type Column = Grid["columns"][number];

export function columnLabel(column: Pick<Column, "version" | "provider" | "model">): string {
  return `v${column.version} · ${column.provider}:${column.model}`;
}

/** A batch run: live progress (n of N), cancel, retry failed, the grid with totals, compare. */
export function BatchRunView({ id }: { id: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const href = useWorkspaceHref();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const run = useQuery(trpc.batchRuns.get.queryOptions({ id }, { refetchInterval: (query) => (query.state.data?.status === "running" ? POLL_MS : false) }));
  const running = run.data?.status === "running";
  // The grid polls until its own answer shows the run ended: its run is read before its cells, so
  // that answer holds every cell's final state (the run completes with its last execution).
  const grid = useQuery(
    trpc.batchRuns.results.queryOptions(
      { id, page, pageSize: GRID_PAGE_SIZE },
      { refetchInterval: (query) => (running || query.state.data?.run.status === "running" ? POLL_MS : false) },
    ),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.batchRuns.get.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.batchRuns.results.queryKey() }),
    ]);
  const cancel = useMutation(trpc.batchRuns.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(
    trpc.batchRuns.retryFailed.mutationOptions({
      onSuccess: async (result) => {
        await refresh();
        toast({ title: `${result.retried} failed cell${result.retried === 1 ? "" : "s"} queued again`, tone: "success" });
      },
    }),
  );
  if (run.isPending) return <Spinner />;
  if (run.error) return <ErrorAlert error={run.error} title="Could not load the run" />;
  const { progress } = run.data;
  const canRun = me.user.role !== "viewer";
  return (
    <>
      <PageHeader
        title={run.data.name || `Run over ${run.data.datasetName}`}
        description={
          <>
            <RunStatusBadge status={run.data.status} />{" "}
            {run.data.datasetId ? (
              <Link className="text-indigo-700 hover:underline" href={href(`/datasets/${run.data.datasetId}`)}>
                {run.data.datasetName}
              </Link>
            ) : (
              `${run.data.datasetName} (deleted)`
            )}{" "}
            ·{" "}
            <Link className="text-indigo-700 hover:underline" href={href(`/prompts/${run.data.promptId}`)}>
              prompt
            </Link>
          </>
        }
        actions={
          canRun ? (
            <>
              {running ? (
                <Button variant="dangerGhost" loading={cancel.isPending} onClick={() => cancel.mutate({ id })}>
                  Cancel run
                </Button>
              ) : null}
              {progress.byStatus.failed > 0 ? (
                <Button variant="secondary" loading={retry.isPending} onClick={() => retry.mutate({ id })}>
                  Retry {progress.byStatus.failed} failed
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      <div className="space-y-2" aria-live="polite">
        <p className="text-sm text-gray-700" role="status">
          {progress.done} of {progress.total} done — {progress.byStatus.completed} completed, {progress.byStatus.failed} failed, {progress.byStatus.cancelled}{" "}
          cancelled, {progress.byStatus.pending + progress.byStatus.running} to go
        </p>
        <ProgressBar
          tone="brand"
          value={progress.done}
          max={Math.max(1, progress.total)}
          label="Progress"
          valueText={`${progress.done} of ${progress.total}`}
        />
      </div>
      <ErrorAlert className="mt-4" error={cancel.error ?? retry.error} title="That did not work" />
      {grid.data ? (
        <GridTable grid={grid.data} page={page} onPage={setPage} />
      ) : grid.error ? (
        <ErrorAlert error={grid.error} title="Could not load the results" />
      ) : (
        <Spinner />
      )}
      <CompareChooser runId={id} datasetId={run.data.datasetId} columns={run.data.targets.length} />
    </>
  );
}

function GridTable({ grid, page, onPage }: { grid: Grid; page: number; onPage: (page: number) => void }) {
  const href = useWorkspaceHref();
  const variables = [...new Set(grid.rows.flatMap((row) => Object.keys(row.variables)))].slice(0, 3);
  return (
    <section aria-labelledby="grid-heading" className="mt-6">
      <h2 id="grid-heading" className="mb-3 text-base font-semibold text-gray-900">
        Results
      </h2>
      <div className="overflow-x-auto">
        <Table>
          <TableCaption className="sr-only">Rows are the dataset&apos;s items, columns the run&apos;s targets</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>#</TableHead>
              {variables.map((name) => (
                <TableHead key={name}>{name}</TableHead>
              ))}
              {grid.columns.map((column) => (
                <TableHead key={column.index}>{columnLabel(column)}</TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {grid.rows.map((row, index) => (
              <TableRow key={row.datasetItemId ?? index}>
                <TableCell className="tabular-nums text-gray-500">{row.position === null ? "—" : row.position + 1}</TableCell>
                {variables.map((name) => (
                  <TableCell key={name} className="max-w-48 truncate">
                    {display(row.variables[name])}
                  </TableCell>
                ))}
                {row.cells.map((cell, column) => (
                  <TableCell key={column} className="min-w-56 align-top">
                    {cell ? (
                      <Link
                        href={href(`/executions/${cell.executionId}`)}
                        className="block space-y-1 hover:bg-gray-50"
                        aria-label={`Open the execution of row ${index + 1}, column ${column + 1}`}
                      >
                        <div className="flex items-center gap-2">
                          <StatusBadge status={cell.status} />
                          {cell.valid === false ? <span className="text-xs text-red-700">invalid</span> : null}
                        </div>
                        <p className="line-clamp-3 text-xs whitespace-pre-wrap text-gray-800">
                          {cell.excerpt ?? ""}
                          {cell.truncated ? "…" : ""}
                        </p>
                        <p className="text-xs text-gray-500 tabular-nums">
                          {cell.latencyMs !== null ? `${cell.latencyMs} ms` : ""}
                          {cell.inputTokens !== null || cell.outputTokens !== null ? ` · ${cell.inputTokens ?? 0}+${cell.outputTokens ?? 0} tokens` : ""}
                          {cell.costUsd !== null ? ` · ${formatUsd(cell.costUsd)}` : ""}
                        </p>
                      </Link>
                    ) : (
                      <span className="text-gray-400">—</span>
                    )}
                  </TableCell>
                ))}
              </TableRow>
            ))}
            <TableRow className="bg-gray-50 font-medium">
              <TableCell colSpan={1 + variables.length}>Totals</TableCell>
              {grid.columns.map((column) => (
                <TableCell key={column.index} className="text-xs tabular-nums" data-testid={`totals-${column.index}`}>
                  {column.totals.completed} completed · {column.totals.failed} failed
                  {column.totals.pending > 0 ? ` · ${column.totals.pending} to go` : ""}
                  <br />
                  {column.totals.inputTokens + column.totals.outputTokens} tokens · {formatUsd(column.totals.costUsd)}
                  {column.totals.meanLatencyMs !== null ? ` · mean ${Math.round(column.totals.meanLatencyMs)} ms` : ""}
                </TableCell>
              ))}
            </TableRow>
          </TableBody>
        </Table>
      </div>
      <PageButtons label="Result pages" page={page} totalPages={grid.totalPages} onPage={onPage} />
    </section>
  );
}

/** Compare this run's column with another column of it or of another run over the same dataset. */
function CompareChooser({ runId, datasetId, columns }: { runId: string; datasetId: string | null; columns: number }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const runs = useQuery(trpc.batchRuns.list.queryOptions(datasetId ? { datasetId, pageSize: 50 } : { pageSize: 1 }));
  const options = (runs.data?.data ?? []).flatMap((other) =>
    other.targets.map((target, index) => ({
      value: `${other.id}:${index}`,
      label: `${other.id === runId ? "This run" : new Date(other.createdAt).toLocaleString()} — ${columnLabel(target)}`,
    })),
  );
  const [left, setLeft] = useState(`${runId}:0`);
  const [right, setRight] = useState(columns > 1 ? `${runId}:1` : (options.find((option) => !option.value.startsWith(runId))?.value ?? ""));
  if (!datasetId || options.length < 2) return null;
  const [leftId, lt] = left.split(":");
  const [rightId, rt] = right.split(":");
  const compareHref = `${href("/batch-runs/compare")}?${new URLSearchParams({ left: leftId ?? "", lt: lt ?? "0", right: rightId ?? "", rt: rt ?? "0" }).toString()}`;
  return (
    <section aria-labelledby="compare-heading" className="mt-8 space-y-3">
      <h2 id="compare-heading" className="text-base font-semibold text-gray-900">
        Compare
      </h2>
      <div className="flex flex-wrap items-end gap-2">
        <ColumnSelect label="Left column" value={left} options={options} onChange={setLeft} />
        <ColumnSelect label="Right column" value={right} options={options} onChange={setRight} />
        <Link href={compareHref} className={buttonClasses({ variant: "secondary" })}>
          Compare side by side
        </Link>
      </div>
    </section>
  );
}

function ColumnSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <Select aria-label={label} value={value} onChange={(event) => onChange(event.target.value)} className="max-w-sm">
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </Select>
  );
}
