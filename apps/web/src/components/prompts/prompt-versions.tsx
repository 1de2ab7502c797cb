"use client";

import { MAX_CHANGE_NOTE_LENGTH } from "@sigil/validators";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { DeployVersionDialog } from "@/components/deployments/deploy-version-dialog";
import { useMe } from "@/components/workspace/workspace-context";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { useAuthorName } from "./authors";
import { usePromptLabels, VersionLabels } from "./prompt-deployments";
import { VersionDiff } from "./version-diff";
import { changeNoteLabel, comparison, labelsByVersion } from "./versions";

type Prompt = RouterOutputs["prompts"]["get"];

/**
 * Every version, newest first (author, time, change note, the deployments that serve it); choose
 * two to see the differences; restore an old one (as a new version, after confirmation, with an
 * optional note); admins deploy a version (pin a deployment to it, or create one).
 */
export function PromptVersions({
  prompt,
  canWrite,
  from,
  to,
  onCompare,
  hasUnsavedChanges,
  onRestored,
}: {
  prompt: Prompt;
  canWrite: boolean;
  from: number | null;
  to: number | null;
  onCompare: (from: number, to: number) => void;
  hasUnsavedChanges: boolean;
  onRestored: (prompt: Prompt, restoredVersion: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const authorName = useAuthorName();
  const headingId = useId();
  const versions = useQuery(trpc.prompts.versions.queryOptions({ id: prompt.id }));
  const [restoring, setRestoring] = useState<number | null>(null);
  const [restoreNote, setRestoreNote] = useState("");
  const [deploying, setDeploying] = useState<number | null>(null);
  const isAdmin = useMe().user.role === "admin";
  const { enabled: deploymentsOn, labels } = usePromptLabels(prompt.id);
  const byVersion = labelsByVersion(labels);
  const restore = useMutation(
    trpc.prompts.restoreVersion.mutationOptions({
      onSuccess: async (updated, input) => {
        queryClient.setQueryData(trpc.prompts.get.queryKey({ id: prompt.id }), updated);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.prompts.versions.queryKey({ id: prompt.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() }),
        ]);
        setRestoring(null);
        setRestoreNote("");
        toast({
          key: "prompt-saved",
          title:
            updated.currentVersion === prompt.currentVersion
              ? `v${input.version} is already the current content`
              : `Restored v${input.version} as v${updated.currentVersion}`,
          tone: "success",
        });
        onRestored(updated, input.version);
      },
    }),
  );

  const rows = versions.data ?? [];
  const numbers = rows.map((row) => row.version);
  const pair = comparison(numbers, from, to);
  const left = pair ? rows.find((row) => row.version === pair.from) : undefined;
  const right = pair ? rows.find((row) => row.version === pair.to) : undefined;

  return (
    <div className="space-y-8">
      <section aria-labelledby={headingId} className="space-y-3">
        <div className="flex items-baseline justify-between gap-3">
          <h2 id={headingId} className="text-base font-semibold text-gray-900">
            Versions
          </h2>
          <p className="text-sm text-gray-600">Every saved change is a version. Restoring one adds it again as the newest.</p>
        </div>
        <ErrorAlert error={versions.error} title="Could not load the versions" />
        {versions.isPending ? (
          <div role="status" className="space-y-2">
            <span className="sr-only">Loading versions…</span>
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </div>
        ) : (
          <Table>
            <TableCaption className="sr-only">Versions of {prompt.name}, newest first</TableCaption>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead className="w-28">Version</TableHead>
                <TableHead>Change</TableHead>
                {deploymentsOn ? <TableHead>Deployments</TableHead> : null}
                <TableHead>Author</TableHead>
                <TableHead>When</TableHead>
                {/* aria-label, not sr-only text: absolutely positioned text escapes the table's scroll box on phones. */}
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => {
                const current = row.version === prompt.currentVersion;
                const labelId = `${headingId}-v${row.version}`;
                const compared = pair !== null && (row.version === pair.from || row.version === pair.to);
                return (
                  <TableRow key={row.id} className={cn(compared && "bg-brand-50/40")}>
                    <TableCell>
                      <span id={labelId} className="inline-flex items-center gap-2">
                        <Badge tone={current ? "brand" : "neutral"}>v{row.version}</Badge>
                        {current ? <span className="text-xs font-medium text-brand-700">current</span> : null}
                      </span>
                    </TableCell>
                    <TableCell className="max-w-xs break-words text-gray-700">{changeNoteLabel(row.changeNote)}</TableCell>
                    {deploymentsOn ? (
                      <TableCell>
                        <VersionLabels labels={byVersion.get(row.version) ?? []} />
                      </TableCell>
                    ) : null}
                    <TableCell className="text-gray-700">{authorName(row.createdBy)}</TableCell>
                    <TableCell className="whitespace-nowrap text-gray-600">
                      <RelativeTime value={row.createdAt} />
                    </TableCell>
                    {/* The actions wrap instead of pushing the row past the table's edge (three of them, with deployments on). */}
                    <TableCell className="text-right">
                      <div className="flex flex-wrap justify-end gap-2 whitespace-nowrap">
                        {rows.length > 1 ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-describedby={labelId}
                            onClick={() => {
                              const newest = rows[0]?.version ?? row.version;
                              if (row.version === newest) onCompare(rows[1]?.version ?? row.version, row.version);
                              else onCompare(row.version, newest);
                            }}
                          >
                            {current ? "Compare with previous" : "Compare with current"}
                          </Button>
                        ) : null}
                        {isAdmin && deploymentsOn ? (
                          <Button variant="secondary" size="sm" aria-describedby={labelId} onClick={() => setDeploying(row.version)}>
                            Deploy this version
                          </Button>
                        ) : null}
                        {canWrite && !current ? (
                          <Button variant="secondary" size="sm" aria-describedby={labelId} onClick={() => setRestoring(row.version)}>
                            Restore this version
                          </Button>
                        ) : null}
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </section>

      {pair && left && right ? (
        <div className="space-y-4 rounded-lg border border-gray-200 bg-gray-50/60 p-4 sm:p-5">
          <div className="flex flex-wrap items-end gap-3">
            <Field label="From version" className="w-44">
              {(props) => (
                <Select {...props} value={pair.from} onChange={(event) => onCompare(Number(event.target.value), pair.to)}>
                  {rows.map((row) => (
                    <option key={row.id} value={row.version}>
                      {`v${row.version}${row.version === prompt.currentVersion ? " (current)" : ""}`}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <span aria-hidden="true" className="pb-2.5 text-gray-400">
              →
            </span>
            <Field label="To version" className="w-44">
              {(props) => (
                <Select {...props} value={pair.to} onChange={(event) => onCompare(pair.from, Number(event.target.value))}>
                  {rows.map((row) => (
                    <option key={row.id} value={row.version}>
                      {`v${row.version}${row.version === prompt.currentVersion ? " (current)" : ""}`}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button variant="ghost" size="md" onClick={() => onCompare(pair.to, pair.from)} className="mb-0">
              Swap
            </Button>
          </div>
          <VersionDiff from={left} to={right} />
        </div>
      ) : !versions.isPending && rows.length === 1 ? (
        <p className="rounded-lg border border-dashed border-gray-300 bg-white px-4 py-6 text-center text-sm text-gray-600">
          Only one version so far. Save a change to compare versions.
        </p>
      ) : null}

      {isAdmin && deploymentsOn ? <DeployVersionDialog prompt={prompt} version={deploying} labels={labels} onClose={() => setDeploying(null)} /> : null}
      <ConfirmDialog
        open={restoring !== null}
        onClose={() => {
          if (restore.isPending) return;
          restore.reset();
          setRestoring(null);
          setRestoreNote("");
        }}
        title={`Restore v${restoring ?? ""}?`}
        description={`The name, description and template of v${restoring ?? ""} become the current content, saved as v${prompt.currentVersion + 1}. Nothing is lost: v${prompt.currentVersion} stays in the history.`}
        confirmLabel={`Restore v${restoring ?? ""}`}
        tone="primary"
        pending={restore.isPending}
        error={restore.error}
        onConfirm={() => {
          if (restoring !== null) restore.mutate({ id: prompt.id, version: restoring, changeNote: restoreNote });
        }}
      >
        <Field label="Change note" hint="Optional: why you restore it, shown in the versions list." className="mb-3">
          {(props) => <Input {...props} value={restoreNote} maxLength={MAX_CHANGE_NOTE_LENGTH} onChange={(event) => setRestoreNote(event.target.value)} />}
        </Field>
        {hasUnsavedChanges ? <p className="text-sm text-amber-800">Your unsaved edits in the editor will be discarded.</p> : null}
      </ConfirmDialog>
    </div>
  );
}
