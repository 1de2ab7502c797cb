"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { FileChoices, ProviderFields, VariableInputs, type ProviderChoice } from "@/components/executions/execution-inputs";
import { useRunTarget } from "@/components/executions/run-target";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useFeature, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterInputs } from "@/trpc/types";
import { toVariables } from "./variables";

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
  const router = useRouter();
  const href = useWorkspaceHref();
  const queryClient = useQueryClient();
  const formId = useId();
  const create = useMutation(
    trpc.executions.create.mutationOptions({
      onSuccess: async (execution) => {
        queryClient.setQueryData(trpc.executions.get.queryKey({ id: execution.id }), execution);
        await queryClient.invalidateQueries({ queryKey: trpc.executions.list.queryKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.executions.stats.queryKey() });
        router.push(href(`/executions/${execution.id}`));
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
  onSubmit,
}: {
  formId: string;
  prompt: RunnablePrompt;
  initialValues: Readonly<Record<string, string>>;
  unsavedChanges: boolean;
  error: unknown;
  onSubmit: (input: RouterInputs["executions"]["create"]) => void;
}) {
  const filesOn = useFeature("files");
  const target = useRunTarget(prompt.id, prompt.currentVersion);
  const [values, setValues] = useState<Record<string, string>>({ ...initialValues });
  const [choice, setChoice] = useState<ProviderChoice>({ provider: "template", model: "" });
  const [fileIds, setFileIds] = useState<string[]>([]);
  const fieldErrors = fieldErrorsOf(error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!target.variables) return;
    onSubmit({
      promptId: prompt.id,
      version: prompt.currentVersion,
      input: toVariables(target.variables, values),
      provider: choice.provider,
      model: choice.model.trim() === "" ? undefined : choice.model.trim(),
      fileIds: target.version?.acceptsFiles && filesOn ? fileIds : [],
    });
  };

  return (
    <form id={formId} onSubmit={submit} noValidate className="space-y-5">
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
      />
      <ProviderFields value={choice} onChange={setChoice} errors={fieldErrors} />
      {target.version?.acceptsFiles && filesOn ? <FileChoices selected={fileIds} onChange={setFileIds} error={fieldErrors.fileIds} /> : null}
      <ErrorAlert error={error} title="Could not start the execution" />
    </form>
  );
}
