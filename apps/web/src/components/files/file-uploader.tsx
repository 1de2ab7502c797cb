"use client";

import { MAX_FILE_BYTES } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type ChangeEvent } from "react";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useToast } from "@/components/ui/toast";
import { quotaOf } from "@/components/members/quota";
import { cn } from "@/lib/cn";
import { errorMessage } from "@/lib/trpc-errors";
import { apiUrlFor } from "@/lib/workspace-href";
import { useTRPC } from "@/trpc/client";
import { formatBytes } from "./format";
import { mimeTypeOf, parseTags, readAsBase64, uploadWithProgress, type UploadInput } from "./upload";

type UploadStatus = "queued" | "reading" | "uploading" | "saving" | "done" | "failed" | "refused";

interface UploadItem {
  key: number;
  name: string;
  size: number;
  status: UploadStatus;
  /** Bytes of the request body sent (the base64 body is about 4/3 of the file). */
  loaded: number;
  total: number;
  message: string | null;
  /** Refused by the plan's storage quota (the server's `data.quota`). */
  overQuota?: boolean;
}

const MAX_MB = MAX_FILE_BYTES / (1024 * 1024);

const STATUS_TEXT: Record<UploadStatus, string> = {
  queued: "Waiting",
  reading: "Reading",
  uploading: "Uploading",
  saving: "Saving",
  done: "Uploaded",
  failed: "Failed",
  refused: "Not uploaded",
};

/**
 * The upload control: pick one or more files (each at most 10 MB, checked before anything is sent),
 * they upload one after the other with a progress bar each. `files.upload` goes through
 * XMLHttpRequest (fetch has no upload progress); a refusal (storage quota, validation) shows the
 * server's message on the file's row. Afterwards the list and the storage figures refresh.
 */
export function FileUploader({ className }: { className?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { basePath } = useWorkspace();
  const apiUrl = apiUrlFor(basePath);
  const [items, setItems] = useState<UploadItem[]>([]);
  const [tags, setTags] = useState("");
  const nextKey = useRef(1);
  const queue = useRef<Promise<void>>(Promise.resolve());

  // A mutation, so the session watcher sees an UNAUTHORIZED answer like any other call's.
  const upload = useMutation({
    mutationFn: (job: { input: UploadInput; onProgress: (loaded: number, total: number) => void }) =>
      uploadWithProgress({ apiUrl, input: job.input, onProgress: job.onProgress }),
  });

  const update = (key: number, patch: Partial<UploadItem>) => setItems((current) => current.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.files.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.files.usage.queryKey() }),
    ]);

  const uploadOne = async (file: File, key: number, fileTags: string[]) => {
    try {
      update(key, { status: "reading" });
      const contentBase64 = await readAsBase64(file);
      update(key, { status: "uploading" });
      const uploaded = await upload.mutateAsync({
        input: { name: file.name, mimeType: mimeTypeOf(file), contentBase64, tags: fileTags },
        onProgress: (loaded, total) => update(key, { loaded, total, status: loaded >= total ? "saving" : "uploading" }),
      });
      update(key, { status: "done", loaded: 1, total: 1, message: null });
      await refresh();
      toast({ title: `${uploaded.name} uploaded`, description: formatBytes(uploaded.size), tone: "success" });
    } catch (error) {
      update(key, { status: "failed", message: errorMessage(error), overQuota: quotaOf(error)?.resource === "storage" });
    }
  };

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    // Choosing the same file again must fire `change` again.
    event.target.value = "";
    if (files.length === 0) return;
    const fileTags = parseTags(tags);
    const added: { file: File; item: UploadItem }[] = files.map((file) => {
      const key = nextKey.current++;
      const tooLarge = file.size > MAX_FILE_BYTES;
      const empty = file.size === 0;
      return {
        file,
        item: {
          key,
          name: file.name,
          size: file.size,
          status: tooLarge || empty ? "refused" : "queued",
          loaded: 0,
          total: 0,
          message: tooLarge
            ? `${file.name} is ${formatBytes(file.size)}; one upload is at most ${MAX_MB} MB. Nothing was uploaded.`
            : empty
              ? `${file.name} is empty. Nothing was uploaded.`
              : null,
        },
      };
    });
    setItems((current) => [...added.map((entry) => entry.item).reverse(), ...current]);
    for (const { file, item } of added) {
      if (item.status !== "queued") continue;
      // One at a time, in the order chosen: progress stays readable and the quota check is sequential.
      queue.current = queue.current.then(() => uploadOne(file, item.key, fileTags));
    }
  };

  const busy = items.some((item) => item.status === "queued" || item.status === "reading" || item.status === "uploading" || item.status === "saving");
  const finished = items.filter((item) => item.status === "done" || item.status === "failed" || item.status === "refused");

  return (
    <Card className={className}>
      <CardHeader>
        <CardTitle>Upload</CardTitle>
        <CardDescription>Up to {MAX_MB} MB per file. Uploads count against the plan&apos;s storage.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Upload file" hint="Choose one or more files; they upload at once.">
            {(props) => (
              <Input
                {...props}
                type="file"
                multiple
                name="file"
                onChange={onChange}
                className="h-auto py-1.5 file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-brand-700 hover:file:bg-brand-100"
              />
            )}
          </Field>
          <Field label="Tags" optional hint="Comma-separated, given to the files you upload next.">
            {(props) => <Input {...props} name="tags" value={tags} placeholder="contracts, 2025" onChange={(event) => setTags(event.target.value)} />}
          </Field>
        </div>

        {items.length > 0 ? (
          <div className="space-y-3">
            <div className="flex items-center justify-between">
              <h3 className="text-sm font-medium text-gray-800">{busy ? "Uploading…" : "Uploads"}</h3>
              {finished.length > 0 ? (
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => setItems((current) => current.filter((item) => !finished.some((done) => done.key === item.key)))}
                >
                  Clear finished
                </Button>
              ) : null}
            </div>
            <ul className="space-y-3" aria-label="Uploads">
              {items.map((item) => (
                <UploadRow key={item.key} item={item} />
              ))}
            </ul>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

function UploadRow({ item }: { item: UploadItem }) {
  const failed = item.status === "failed" || item.status === "refused";
  if (failed) {
    return (
      <li className="space-y-2">
        <p className="flex items-baseline justify-between gap-3 text-sm">
          <span className="truncate font-medium text-gray-800" title={item.name}>
            {item.name}
          </span>
          <span className="shrink-0 text-gray-500 tabular-nums">{formatBytes(item.size)}</span>
        </p>
        <Alert tone="danger" title={item.status === "refused" ? "Not uploaded" : item.overQuota ? "Not enough storage on the plan" : "Upload refused"}>
          {item.message}
        </Alert>
      </li>
    );
  }
  const percent = item.total > 0 ? Math.round((item.loaded / item.total) * 100) : 0;
  // The body is base64 (4/3 of the file): report progress as a share of the file's own size.
  const sent = Math.min(item.size, Math.round((percent / 100) * item.size));
  const value = item.status === "done" || item.status === "saving" ? 100 : percent;
  const valueText =
    item.status === "uploading"
      ? `${percent} % · ${formatBytes(sent)} of ${formatBytes(item.size)}`
      : item.status === "saving"
        ? `Saving… · ${formatBytes(item.size)}`
        : item.status === "done"
          ? `Uploaded · ${formatBytes(item.size)}`
          : `${STATUS_TEXT[item.status]} · ${formatBytes(item.size)}`;
  return (
    <li>
      <ProgressBar
        label={item.name}
        value={value}
        max={100}
        valueText={valueText}
        tone="brand"
        className={cn(
          "[&>div:first-child]:gap-3 [&>div:first-child>span:first-child]:truncate",
          item.status === "done" && "[&_[role=progressbar]>div]:bg-green-600",
        )}
      />
    </li>
  );
}
