"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { FILES_PAGE_SIZE } from "./constants";
import { FileUploader } from "./file-uploader";
import { formatBytes, formatMegabytes, storageText } from "./format";
import { base64ToBlob, saveBlob } from "./upload";

type FileItem = RouterOutputs["files"]["list"]["data"][number];

/** The files section: storage against the quota, the upload control (members and admins), the list. */
export function FilesView({ page }: { page: number }) {
  const trpc = useTRPC();
  const me = useMe();
  const href = useWorkspaceHref();
  const canWrite = me.user.role !== "viewer";
  const { data: files } = useSuspenseQuery(trpc.files.list.queryOptions({ page, pageSize: FILES_PAGE_SIZE }));
  const [deleting, setDeleting] = useState<FileItem | null>(null);

  return (
    <>
      <PageHeader title="Files" description="Reference files of this workspace, and the storage they use against your plan." />
      <div className="grid items-start gap-4 lg:grid-cols-3">
        <StorageCard />
        {canWrite ? <FileUploader className="lg:col-span-2" /> : null}
      </div>

      <section aria-labelledby="files-heading" className="mt-8">
        <h2 id="files-heading" className="mb-3 text-base font-semibold text-gray-900">
          All files
        </h2>
        {files.total === 0 ? (
          <EmptyState
            title="No files yet"
            description={
              canWrite
                ? "Upload reference files above; prompts that accept files can use them in executions."
                : "Files that members of this workspace upload appear here."
            }
          />
        ) : files.data.length === 0 ? (
          <EmptyState
            title="This page is empty"
            description={`There are ${files.total} files on ${files.totalPages} pages.`}
            action={
              <Link href={href("/files")} className={buttonClasses({ variant: "secondary" })}>
                Go to the first page
              </Link>
            }
          />
        ) : (
          <>
            <Table>
              <TableCaption className="sr-only">Files, newest first</TableCaption>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Type</TableHead>
                  <TableHead className="text-right">Size</TableHead>
                  <TableHead>Tags</TableHead>
                  <TableHead>Uploaded</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {files.data.map((file) => (
                  <TableRow key={file.id}>
                    <TableCell className="max-w-64 font-medium text-gray-900">
                      <span className="block truncate" title={file.name}>
                        {file.name}
                      </span>
                    </TableCell>
                    <TableCell className="font-mono text-xs text-gray-600">{file.mimeType}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatBytes(file.size)}</TableCell>
                    <TableCell>
                      {file.tags.length > 0 ? (
                        <div className="flex max-w-56 flex-wrap gap-1">
                          {file.tags.map((tag) => (
                            <Badge key={tag}>{tag}</Badge>
                          ))}
                        </div>
                      ) : (
                        <span className="text-gray-500">—</span>
                      )}
                    </TableCell>
                    <TableCell className="whitespace-nowrap text-gray-600">
                      <DateTime value={file.createdAt} />
                    </TableCell>
                    <TableCell>
                      <div className="flex justify-end gap-2">
                        <DownloadButton file={file} />
                        {canWrite ? (
                          <Button variant="dangerGhost" size="sm" onClick={() => setDeleting(file)}>
                            Delete<span className="sr-only"> {file.name}</span>
                          </Button>
                        ) : null}
                      </div>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pagination page={page} totalPages={files.totalPages} total={files.total} noun="files" hrefFor={(target) => href(`/files?page=${target}`)} />
          </>
        )}
      </section>

      {canWrite ? <DeleteFileDialog file={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}

/** Used vs the plan's storage: "12.5 MB of 500 MB" and a bar (amber from 80 %, red when full). */
function StorageCard({ className }: { className?: string }) {
  const trpc = useTRPC();
  const { data: usage } = useSuspenseQuery(trpc.files.usage.queryOptions());
  return (
    <Card className={className}>
      <CardHeader>
        <CardTitle>Storage</CardTitle>
        <CardDescription>Files of this workspace against the plan&apos;s limit.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        <p className="text-2xl font-semibold tracking-tight text-gray-900 tabular-nums">
          {formatMegabytes(usage.usedBytes)} <span className="text-base font-normal text-gray-500">of {formatMegabytes(usage.limitBytes)}</span>
        </p>
        <ProgressBar label="Storage used" value={usage.usedBytes} max={usage.limitBytes} valueText={storageText(usage.usedBytes, usage.limitBytes)} />
        <p className="text-sm text-gray-600">
          {usage.remainingBytes > 0 ? `${formatMegabytes(usage.remainingBytes)} free.` : "Storage is full: delete files or ask for a larger plan."}
        </p>
      </CardContent>
    </Card>
  );
}

/** files.download returns base64: decode it into a Blob and save it through an object URL. */
function DownloadButton({ file }: { file: FileItem }) {
  const client = useTRPCClient();
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const onClick = async () => {
    setPending(true);
    try {
      const download = await client.files.download.query({ id: file.id });
      saveBlob(base64ToBlob(download.contentBase64, download.mimeType), download.name);
    } catch (error) {
      toast({ title: `Could not download ${file.name}`, description: errorMessage(error), tone: "danger" });
    } finally {
      setPending(false);
    }
  };
  return (
    <Button variant="secondary" size="sm" loading={pending} onClick={() => void onClick()}>
      Download<span className="sr-only"> {file.name}</span>
    </Button>
  );
}

function DeleteFileDialog({ file, onClose }: { file: FileItem | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation(
    trpc.files.delete.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.files.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.files.usage.queryKey() }),
        ]);
        toast({ title: `${file?.name ?? "File"} deleted`, tone: "success" });
        close();
      },
    }),
  );
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={file !== null}
      onClose={close}
      title="Delete file?"
      description={
        file ? (
          <>
            <span className="font-medium text-gray-900">{file.name}</span> ({formatBytes(file.size)}) will be deleted for everyone in this workspace. This
            cannot be undone.
          </>
        ) : null
      }
      confirmLabel="Delete file"
      errorTitle="Could not delete the file"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => {
        if (file) remove.mutate({ id: file.id });
      }}
    />
  );
}
