"use client";

import { MAX_CHANGE_NOTE_LENGTH, updatePromptInput } from "@sigil/validators";
import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { CommentThread } from "@/components/executions/execution-comments";
import { PromptExecutions } from "@/components/executions/prompt-executions";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { useToast } from "@/components/ui/toast";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { useAuthorName } from "./authors";
import { DeletePromptDialog } from "./delete-prompt-dialog";
import { promptFormErrors, withoutFields } from "./form-errors";
import { draftChanged, draftInput, draftOf, PromptFields, sameDraft, type PromptDraft } from "./prompt-fields";
import { PromptDeployments } from "./prompt-deployments";
import { PromptVersions } from "./prompt-versions";
import { RunPromptDialog } from "./run-prompt-dialog";
import { RunDialog } from "@/components/datasets/run-dialog";
import { TemplatePreview } from "./template-preview";
import { issuesByField } from "@/lib/form-errors";
import { customHistoryState } from "@/lib/unsaved-changes";
import { useUnsavedChanges } from "@/components/unsaved-changes/context";

type Prompt = RouterOutputs["prompts"]["get"];
const TABS = ["editor", "versions", "executions", "comments"] as const;
type Tab = (typeof TABS)[number];

function parseVersion(value: string | null): number | null {
  return value !== null && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : null;
}

/** Writes the tab and compared versions into the URL (no server round trip: Next's router follows the History API). */
function writeSearch(update: Record<string, string | null>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(update)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  const search = params.toString();
  // The entry's own state stays (the unsaved-changes sentinel mark lives there).
  window.history.replaceState(customHistoryState(window.history.state), "", `${window.location.pathname}${search === "" ? "" : `?${search}`}`);
}

/**
 * A prompt: its editor (Save makes a new version when the content changed) with the live preview,
 * its versions with a side-by-side diff and restore, its recent executions; Run and Delete.
 * Viewers read and preview; they get no write controls.
 */
export function PromptDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const canWrite = me.user.role !== "viewer";
  const href = useWorkspaceHref();
  const toast = useToast();
  const queryClient = useQueryClient();
  const authorName = useAuthorName();
  const { data: prompt } = useSuspenseQuery(trpc.prompts.get.queryOptions({ id }));
  const versionCount = useQuery(trpc.prompts.versions.queryOptions({ id })).data?.length ?? prompt.currentVersion;

  const searchParams = useSearchParams();
  const tabParam = searchParams.get("tab");
  const tab: Tab = TABS.find((candidate) => candidate === tabParam) ?? "editor";
  const from = parseVersion(searchParams.get("from"));
  const to = parseVersion(searchParams.get("to"));

  // The editor shows the saved prompt until the user changes something; then their draft, based on a version.
  const [draft, setDraft] = useState<{ base: number; fields: PromptDraft } | null>(null);
  const fields = draft?.fields ?? draftOf(prompt);
  const dirty = draft !== null && draftChanged(draft.fields, prompt);
  const changedElsewhere = dirty && draft.base !== prompt.currentVersion;
  const [values, setValues] = useState<Record<string, string>>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const [runOpen, setRunOpen] = useState(false);
  const [runOverDatasetOpen, setRunOverDatasetOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [changeNote, setChangeNote] = useState("");

  // Leaving the page with unsaved edits asks first (links, Back, reloads, closing the tab).
  useUnsavedChanges(dirty);

  const afterChange = async (updated: Prompt) => {
    queryClient.setQueryData(trpc.prompts.get.queryKey({ id }), updated);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.prompts.versions.queryKey({ id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() }),
    ]);
  };
  const update = useMutation(trpc.prompts.update.mutationOptions());

  const { fieldErrors, formError } = promptFormErrors(update.error);
  const errors = { ...fieldErrors, ...localErrors };

  const change = (patch: Partial<PromptDraft>) => {
    setDraft((current) => ({ base: current?.base ?? prompt.currentVersion, fields: { ...(current?.fields ?? draftOf(prompt)), ...patch } }));
    setLocalErrors((current) => withoutFields(current, Object.keys(patch)));
  };

  const save = (event?: FormEvent<HTMLFormElement>) => {
    event?.preventDefault();
    if (!dirty || update.isPending) return;
    const input = draftInput(fields);
    if (!input.ok) {
      setLocalErrors(input.errors);
      return;
    }
    const parsed = updatePromptInput.safeParse({ id, ...input.input, changeNote });
    if (!parsed.success) {
      setLocalErrors(issuesByField(parsed.error.issues));
      return;
    }
    setLocalErrors({});
    const before = prompt.currentVersion;
    const saved = fields;
    // Replaces an earlier "Saved as vN", so the next confirmation is never confused with it.
    toast({ key: "prompt-saved", title: "Saving…", tone: "info" });
    update.mutate(parsed.data, {
      onError: (error) => toast({ key: "prompt-saved", title: "Not saved", description: errorMessage(error), tone: "danger" }),
      // mutate()'s own callbacks are not awaited: the confirmation must not wait for the refetches
      // (invalidateQueries never rejects, so nothing is lost by not awaiting them).
      onSuccess: (updated) => {
        // Edits typed while the save was on its way stay, now based on the new version.
        setDraft((current) => (current === null || sameDraft(current.fields, saved) ? null : { base: updated.currentVersion, fields: current.fields }));
        setChangeNote("");
        void afterChange(updated);
        toast(
          updated.currentVersion !== before
            ? { key: "prompt-saved", title: `Saved as v${updated.currentVersion}`, tone: "success" }
            : { key: "prompt-saved", title: "Nothing to save", description: "The content is the same as the current version.", tone: "info" },
        );
      },
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    // Ctrl/Cmd + S saves, as in any editor.
    if (canWrite && event.key.toLowerCase() === "s" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      save();
    }
  };

  return (
    <>
      <div className="mb-2">
        <Link href={href("/prompts")} className="text-sm font-medium text-gray-600 hover:text-gray-900">
          ← Prompts
        </Link>
      </div>
      <PageHeader
        title={prompt.name}
        description={
          <span className="flex flex-col gap-1">
            {prompt.description !== "" ? <span>{prompt.description}</span> : null}
            <span className="text-xs text-gray-500">
              v{prompt.currentVersion} · updated <RelativeTime value={prompt.updatedAt} />
              {(prompt.updatedBy ?? prompt.createdBy) ? ` by ${authorName(prompt.updatedBy ?? prompt.createdBy)}` : ""}
              {prompt.acceptsFiles ? " · accepts files" : ""}
            </span>
          </span>
        }
        actions={
          canWrite ? (
            <>
              <Button variant="secondary" onClick={() => setDeleteOpen(true)} className="text-red-700 hover:bg-red-50">
                Delete
              </Button>
              <Button variant="secondary" onClick={() => setRunOverDatasetOpen(true)}>
                Run over dataset
              </Button>
              <Button onClick={() => setRunOpen(true)}>Run</Button>
            </>
          ) : null
        }
      />

      <PromptDeployments promptId={prompt.id} />

      <Tabs value={tab} onValueChange={(next) => writeSearch({ tab: next === "editor" ? null : next })}>
        <TabsList label="Prompt">
          <TabsTrigger value="editor">
            Editor
            {dirty ? <span aria-hidden="true" className="ml-1.5 inline-block size-1.5 rounded-full bg-amber-500 align-middle" /> : null}
          </TabsTrigger>
          <TabsTrigger value="versions">
            Versions
            <span aria-hidden="true" className="ml-1.5 rounded-full bg-gray-100 px-1.5 py-0.5 text-xs text-gray-600 tabular-nums">
              {versionCount}
            </span>
          </TabsTrigger>
          <TabsTrigger value="executions">Executions</TabsTrigger>
          <TabsTrigger value="comments">Comments</TabsTrigger>
        </TabsList>

        <TabsContent value="editor">
          <form onSubmit={save} onKeyDown={onKeyDown} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
            <div className="space-y-4">
              {changedElsewhere ? (
                <Alert tone="warning" title={`This prompt changed while you were editing (now v${prompt.currentVersion})`}>
                  Saving makes your text the next version. Open Versions to see what changed.
                </Alert>
              ) : null}
              {formError ? <ErrorAlert error={formError} title="Could not save the prompt" /> : null}
              <div className="rounded-lg border border-gray-200 bg-white p-5 shadow-xs">
                <PromptFields draft={fields} onChange={change} errors={errors} readOnly={!canWrite} />
              </div>
              {canWrite ? (
                <Field
                  label="Change note"
                  optional
                  error={errors.changeNote}
                  hint="Why you made this change: shown with the new version in Versions and in the comparison."
                >
                  {(props) => (
                    <Input
                      {...props}
                      name="changeNote"
                      value={changeNote}
                      maxLength={MAX_CHANGE_NOTE_LENGTH}
                      placeholder="e.g. Shorter greeting for the support bot"
                      onChange={(event) => setChangeNote(event.target.value)}
                    />
                  )}
                </Field>
              ) : null}
              {canWrite ? (
                <div className="flex flex-wrap items-center justify-between gap-3">
                  <p className="text-sm text-gray-600" aria-live="polite">
                    {dirty ? (
                      <span className="font-medium text-amber-700">Unsaved changes · saving makes v{prompt.currentVersion + 1}</span>
                    ) : (
                      `Up to date with v${prompt.currentVersion}`
                    )}
                  </p>
                  <div className="flex gap-2">
                    <Button
                      variant="ghost"
                      disabled={!dirty || update.isPending}
                      onClick={() => {
                        setDraft(null);
                        setChangeNote("");
                        setLocalErrors({});
                        update.reset();
                      }}
                    >
                      Discard changes
                    </Button>
                    <Button type="submit" loading={update.isPending} disabled={!dirty} title="Save (Ctrl+S)">
                      Save
                    </Button>
                  </div>
                </div>
              ) : (
                <p className="text-sm text-gray-600">You can read and preview this prompt; your role cannot change it.</p>
              )}
            </div>
            <TemplatePreview
              template={fields.template}
              values={values}
              onValueChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
              className="self-start lg:sticky lg:top-6"
            />
          </form>
        </TabsContent>

        <TabsContent value="versions">
          <PromptVersions
            prompt={prompt}
            canWrite={canWrite}
            from={from}
            to={to}
            onCompare={(nextFrom, nextTo) => writeSearch({ tab: "versions", from: String(nextFrom), to: String(nextTo) })}
            hasUnsavedChanges={dirty}
            onRestored={(updated) => {
              setDraft(null);
              void afterChange(updated);
              // What the restore changed: the version that was current against the new one.
              writeSearch({ tab: "versions", from: String(prompt.currentVersion), to: String(updated.currentVersion) });
            }}
          />
        </TabsContent>

        <TabsContent value="executions">
          <PromptExecutions promptId={prompt.id} promptName={prompt.name} />
        </TabsContent>

        <TabsContent value="comments">
          <CommentThread
            target={{ promptId: prompt.id }}
            emptyHint="Write a note for the team about this prompt below; it says which version it was written on."
          />
        </TabsContent>
      </Tabs>

      {canWrite ? (
        <>
          <RunPromptDialog open={runOpen} onClose={() => setRunOpen(false)} prompt={prompt} initialValues={values} unsavedChanges={dirty} />
          <DeletePromptDialog prompt={prompt} open={deleteOpen} onClose={() => setDeleteOpen(false)} />
          {runOverDatasetOpen ? <RunDialog open promptId={prompt.id} onClose={() => setRunOverDatasetOpen(false)} /> : null}
        </>
      ) : null}
    </>
  );
}
