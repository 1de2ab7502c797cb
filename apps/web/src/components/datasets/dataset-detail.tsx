"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { saveBlob } from "@/components/files/upload";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import { display, ImportDialog } from "./import-dialog";
import { ItemDialog, type DatasetItem } from "./item-dialog";
import { PageButtons } from "./page-buttons";
import { RunDialog } from "./run-dialog";
import { RunStatusBadge } from "./run-status";

const ITEMS_PAGE_SIZE = 50;

/** One dataset: its items (add, edit, delete, import, export), "Run over dataset" and its runs. */
export function DatasetDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const canWrite = me.user.role !== "viewer";
  const dataset = useQuery(trpc.datasets.get.queryOptions({ id }));
  const [dialog, setDialog] = useState<"import" | "add" | "run" | "delete" | null>(null);
  if (dataset.isPending) return <Spinner />;
  if (dataset.error) return <ErrorAlert error={dataset.error} title="Could not load the dataset" />;
  return (
    <>
      <PageHeader
        title={dataset.data.name}
        description={`${dataset.data.itemCount} items${dataset.data.description ? ` · ${dataset.data.description}` : ""}`}
        actions={
          <div className="flex flex-wrap gap-2">
            {canWrite ? (
              <>
                <Button onClick={() => setDialog("run")} disabled={dataset.data.itemCount === 0}>
                  Run over dataset
                </Button>
                <Button variant="secondary" onClick={() => setDialog("import")}>
                  Import
                </Button>
                <Button variant="secondary" onClick={() => setDialog("add")}>
                  Add item
                </Button>
              </>
            ) : null}
            <ExportMenu id={id} />
            {canWrite ? (
              <Button variant="dangerGhost" onClick={() => setDialog("delete")}>
                Delete dataset
              </Button>
            ) : null}
          </div>
        }
      />
      <ItemsTable datasetId={id} canWrite={canWrite} />
      <DatasetRuns datasetId={id} />
      {dialog === "import" ? <ImportDialog datasetId={id} open onClose={() => setDialog(null)} /> : null}
      {dialog === "add" ? <ItemDialog datasetId={id} item={null} open onClose={() => setDialog(null)} /> : null}
      {dialog === "run" ? <RunDialog datasetId={id} open onClose={() => setDialog(null)} /> : null}
      {dialog === "delete" ? <DeleteDataset id={id} name={dataset.data.name} items={dataset.data.itemCount} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

function ItemsTable({ datasetId, canWrite }: { datasetId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<DatasetItem | null>(null);
  const [deleting, setDeleting] = useState<string[] | null>(null);
  const items = useQuery(trpc.datasets.items.queryOptions({ datasetId, page, pageSize: ITEMS_PAGE_SIZE }));
  const remove = useMutation(
    trpc.datasets.deleteItems.mutationOptions({
      onSuccess: async (result) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.datasets.items.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.datasets.get.queryKey() }),
        ]);
        setSelected(new Set());
        setDeleting(null);
        toast({ title: `${result.deleted} item${result.deleted === 1 ? "" : "s"} deleted`, tone: "success" });
      },
    }),
  );
  if (items.isPending) return <Spinner />;
  if (items.error) return <ErrorAlert error={items.error} title="Could not load the items" />;
  if (items.data.total === 0) return <EmptyState title="No items yet" description="Add items one by one, or import a CSV, JSON or text file." />;
  const variables = [...new Set(items.data.data.flatMap((item) => Object.keys(item.variables)))];
  const toggle = (itemId: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(itemId)) next.delete(itemId);
      else next.add(itemId);
      return next;
    });
  return (
    <section aria-labelledby="items-heading" className="mt-6">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id="items-heading" className="text-base font-semibold text-gray-900">
          Items
        </h2>
        {canWrite && selected.size > 0 ? (
          <Button variant="dangerGhost" size="sm" onClick={() => setDeleting([...selected])}>
            Delete {selected.size} selected
          </Button>
        ) : null}
      </div>
      <div className="overflow-x-auto">
        <Table>
          <TableCaption className="sr-only">Items in position order</TableCaption>
          <TableHeader>
            <TableRow>
              {canWrite ? (
                <TableHead className="w-8">
                  <span className="sr-only">Select</span>
                </TableHead>
              ) : null}
              <TableHead>#</TableHead>
              {variables.map((name) => (
                <TableHead key={name}>{name}</TableHead>
              ))}
              <TableHead>Expected output</TableHead>
              <TableHead>Tags</TableHead>
              {canWrite ? (
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              ) : null}
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.data.data.map((item) => (
              <TableRow key={item.id}>
                {canWrite ? (
                  <TableCell>
                    <input type="checkbox" aria-label={`Select item ${item.position + 1}`} checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
                  </TableCell>
                ) : null}
                <TableCell className="tabular-nums text-gray-500">{item.position + 1}</TableCell>
                {variables.map((name) => (
                  <TableCell key={name} className="max-w-64 truncate" title={display(item.variables[name])}>
                    {display(item.variables[name])}
                  </TableCell>
                ))}
                <TableCell className="max-w-64 truncate">{item.expectedOutput ?? "—"}</TableCell>
                <TableCell>
                  <div className="flex flex-wrap gap-1">
                    {item.tags.map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                  </div>
                </TableCell>
                {canWrite ? (
                  <TableCell>
                    <div className="flex justify-end gap-2">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(item)}>
                        Edit<span className="sr-only"> item {item.position + 1}</span>
                      </Button>
                      <Button variant="dangerGhost" size="sm" onClick={() => setDeleting([item.id])}>
                        Delete<span className="sr-only"> item {item.position + 1}</span>
                      </Button>
                    </div>
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <PageButtons label="Item pages" page={page} totalPages={items.data.totalPages} total={`${items.data.total} items`} onPage={setPage} />
      {editing ? <ItemDialog key={editing.id} datasetId={datasetId} item={editing} open onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={deleting?.length === 1 ? "Delete this item?" : `Delete ${deleting?.length ?? 0} items?`}
        description="Batch runs that used them keep their results."
        confirmLabel="Delete"
        onConfirm={() => deleting && remove.mutate({ datasetId, ids: deleting })}
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Nothing was deleted"
      />
    </section>
  );
}

function ExportMenu({ id }: { id: string }) {
  const client = useTRPCClient();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (format: "csv" | "json" | "jsonl") => {
    setBusy(format);
    try {
      const exported = await client.datasets.export.query({ id, format });
      saveBlob(new Blob([exported.content], { type: exported.mimeType }), exported.fileName);
    } catch (error) {
      toast({ title: "The export failed", description: errorMessage(error), tone: "danger" });
    } finally {
      setBusy(null);
    }
  };
  return (
    <div role="group" aria-label="Export" className="flex gap-1">
      {(["csv", "json", "jsonl"] as const).map((format) => (
        <Button key={format} variant="secondary" size="sm" loading={busy === format} onClick={() => void download(format)}>
          Export {format.toUpperCase()}
        </Button>
      ))}
    </div>
  );
}

function DeleteDataset({ id, name, items, onClose }: { id: string; name: string; items: number; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const href = useWorkspaceHref();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.datasets.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() });
        router.push(href("/datasets"));
      },
    }),
  );
  return (
    <ConfirmDialog
      open
      onClose={onClose}
      title={`Delete "${name}"?`}
      description={`Its ${items} items are deleted. Batch runs over it keep their results.`}
      confirmLabel="Delete dataset"
      onConfirm={() => remove.mutate({ id })}
      pending={remove.isPending}
      error={remove.error}
      errorTitle="The dataset was not deleted"
    />
  );
}

/** The runs over this dataset, newest first. */
export function DatasetRuns({ datasetId, promptId }: { datasetId?: string; promptId?: string }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const runs = useQuery(trpc.batchRuns.list.queryOptions({ pageSize: 20, ...(datasetId ? { datasetId } : {}), ...(promptId ? { promptId } : {}) }));
  if (runs.isPending || runs.error || runs.data.total === 0) return null;
  return (
    <section aria-labelledby="runs-heading" className="mt-8">
      <h2 id="runs-heading" className="mb-3 text-base font-semibold text-gray-900">
        Batch runs
      </h2>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Started</TableHead>
            <TableHead>Dataset</TableHead>
            <TableHead>Columns</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Executions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs.data.data.map((run) => (
            <TableRow key={run.id}>
              <TableCell>
                <Link href={href(`/batch-runs/${run.id}`)} className="text-indigo-700 hover:underline">
                  <DateTime value={run.createdAt} />
                </Link>
              </TableCell>
              <TableCell>{run.datasetName}</TableCell>
              <TableCell className="text-xs">{run.targets.map((target) => `v${target.version} ${target.provider}:${target.model}`).join(" · ")}</TableCell>
              <TableCell>
                <RunStatusBadge status={run.status} />
              </TableCell>
              <TableCell className="text-right tabular-nums">{run.total}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
