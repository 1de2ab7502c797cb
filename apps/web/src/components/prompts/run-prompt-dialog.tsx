"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState, type FormEvent } from "react";
import { FileChoices, ProviderFields, VariableInputs, type ProviderChoice } from "@/components/executions/execution-inputs";
import { useProviderKind, useRunTarget } from "@/components/executions/run-target";
import { useOptionsCheck } from "@/components/providers/provider-options-field";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useLeaveTo, useUnsavedChanges } from "@/components/unsaved-changes/context";
import { DraftRestored } from "@/components/unsaved-changes/draft-restored";
import { useFormDraft } from "@/components/unsaved-changes/use-form-draft";
import { useFeature, useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { clearDraft, draftKey, hasStringFields, isStringRecord } from "@/lib/drafts";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterInputs } from "@/trpc/types";
import { inputErrorsByVariable, toVariables } from "./variables";

interface RunDraft {
  values: Record<string, string>;
  provider: string;
  model: string;
  fileIds: string[];
  /** Absent in drafts saved before runs took options. */
  options?: string;
}

function isRunDraft(value: unknown): value is RunDraft {
  return (
    hasStringFields(value, ["provider", "model"]) &&
    isStringRecord(value.values) &&
    Array.isArray(value.fileIds) &&
    value.fileIds.every((id) => typeof id === "string") &&
    (value.options === undefined || typeof value.options === "string")
  );
}

const DEFAULT_CHOICE: ProviderChoice = { provider: "template", model: "", options: "" };

/** The run dialog's draft: one per workspace, user and prompt. */
function useRunDraftScope(promptId: string) {
  const me = useMe();
  return { scope: `${me.tenant.slug}/${me.user.id}`, form: `run-prompt:${promptId}` };
}

function sameTexts(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => (a[key] ?? "") === (b[key] ?? ""));
}

export interface RunnablePrompt {
  id: string;
  name: string;
  currentVersion: number;
}

/**
 * "Run": one input per variable of the prompt's current (saved) version, the provider, files if
 * the version accepts them; "Start execution" creates it and opens the execution's page.
 */
export function RunPromptDialog({
  open,
  onClose,
  prompt,
  initialValues,
  unsavedChanges,
}: {
  open: boolean;
  onClose: () => void;
  prompt: RunnablePrompt;
  initialValues: Readonly<Record<string, string>>;
  unsavedChanges: boolean;
}) {
  const trpc = useTRPC();
  const leaveTo = useLeaveTo();
  const href = useWorkspaceHref();
  const { scope, form } = useRunDraftScope(prompt.id);
  const queryClient = useQueryClient();
  const formId = useId();
  const create = useMutation(
    trpc.executions.create.mutationOptions({
      onSuccess: async (execution) => {
        queryClient.setQueryData(trpc.executions.get.queryKey({ id: execution.id }), execution);
        await queryClient.invalidateQueries({ queryKey: trpc.executions.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.executions.stats.queryKey() });
        clearDraft(window.sessionStorage, draftKey(scope, form));
        leaveTo(href(`/executions/${execution.id}`));
      },
    }),
  );
  const close = () => {
    if (create.isPending) return;
    create.reset();
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Run “${prompt.name}”`}
      description={`Starts an execution of v${prompt.currentVersion}, the saved version. You will follow it on its page.`}
      className="max-w-xl"
      footer={
        open ? (
          <>
            <Button variant="secondary" onClick={close} disabled={create.isPending}>
              Cancel
            </Button>
            <Button type="submit" form={formId} loading={create.isPending || create.isSuccess}>
              Start execution
            </Button>
          </>
        ) : null
      }
    >
      {/* The form exists only while the dialog is open: its inputs never shadow the editor's. */}
      {open ? (
        <RunForm
          formId={formId}
          prompt={prompt}
          initialValues={initialValues}
          unsavedChanges={unsavedChanges}
          error={create.error}
          submitted={create.isSuccess}
          onSubmit={(input) => create.mutate(input)}
        />
      ) : null}
    </Dialog>
  );
}

function RunForm({
  formId,
  prompt,
  initialValues,
  unsavedChanges,
  error,
  submitted,
  onSubmit,
}: {
  formId: string;
  prompt: RunnablePrompt;
  initialValues: Readonly<Record<string, string>>;
  unsavedChanges: boolean;
  error: unknown;
  submitted: boolean;
  onSubmit: (input: RouterInputs["executions"]["create"]) => void;
}) {
  const filesOn = useFeature("files");
  const target = useRunTarget(prompt.id, prompt.currentVersion);
  const [values, setValues] = useState<Record<string, string>>({ ...initialValues });
  const [choice, setChoice] = useState<ProviderChoice>(DEFAULT_CHOICE);
  const [fileIds, setFileIds] = useState<string[]>([]);
  const optionsCheck = useOptionsCheck(choice.options, useProviderKind(choice.provider));
  const fieldErrors = fieldErrorsOf(error);

  // Typed values, another provider or picked files are work: closing or leaving asks, a reload keeps them.
  const dirty =
    !submitted &&
    (!sameTexts(values, initialValues) ||
      choice.provider !== DEFAULT_CHOICE.provider ||
      choice.model !== DEFAULT_CHOICE.model ||
      choice.options !== DEFAULT_CHOICE.options ||
      fileIds.length > 0);
  useUnsavedChanges(dirty);
  const draftValue = useMemo<RunDraft>(
    () => ({ values, provider: choice.provider, model: choice.model, options: choice.options, fileIds }),
    [values, choice, fileIds],
  );
  const draft = useFormDraft<RunDraft>({
    ...useRunDraftScope(prompt.id),
    value: draftValue,
    dirty,
    accept: isRunDraft,
    restore: (restored) => {
      setValues(restored.values);
      setChoice({ provider: restored.provider, model: restored.model, options: restored.options ?? "" });
      setFileIds(restored.fileIds);
    },
  });
  const discardDraft = () => {
    draft.clear();
    setValues({ ...initialValues });
    setChoice(DEFAULT_CHOICE);
    setFileIds([]);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!target.variables) return;
    const options = optionsCheck.result;
    if (!options.ok) return optionsCheck.reveal();
    onSubmit({
      promptId: prompt.id,
      version: prompt.currentVersion,
      input: toVariables(target.variables, values, target.version?.inputSchema ?? null),
      provider: choice.provider,
      model: choice.model.trim() === "" ? undefined : choice.model.trim(),
      fileIds: target.version?.acceptsFiles && filesOn ? fileIds : [],
      options: options.value,
    });
  };

  return (
    <form id={formId} onSubmit={submit} noValidate className="space-y-5">
      {draft.restored ? <DraftRestored onDiscard={discardDraft} /> : null}
      {unsavedChanges ? (
        <Alert tone="warning" title="Your edits are not saved">
          This runs v{prompt.currentVersion} as saved. Save first to run your changes.
        </Alert>
      ) : null}
      <ErrorAlert error={target.error} title="Could not load the prompt" />
      <VariableInputs
        names={target.variables}
        values={values}
        onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
        loading={target.loading}
        schema={target.version?.inputSchema ?? null}
        errors={inputErrorsByVariable(error, target.variables ?? [])}
      />
      <ProviderFields value={choice} onChange={setChoice} errors={{ ...fieldErrors, options: optionsCheck.error ?? fieldErrors.options }} />
      {target.version?.acceptsFiles && filesOn ? <FileChoices selected={fileIds} onChange={setFileIds} error={fieldErrors.fileIds} /> : null}
      <ErrorAlert error={error} title="Could not start the execution" />
    </form>
  );
}
