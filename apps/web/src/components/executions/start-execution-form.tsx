"use client";

import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { useChangedSinceMount, useLeaveTo, useUnsavedChanges } from "@/components/unsaved-changes/context";
import { inputErrorsByVariable, toTexts, toVariables } from "@/components/prompts/variables";
import { compactJson } from "@/components/deployments/json";
import { ProviderOptionsField, useOptionsCheck } from "@/components/providers/provider-options-field";
import { optionsText } from "@/components/providers/provider-options";
import { ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { useFeature, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { FileChoices, ProviderFields, VariableInputs, type ProviderChoice } from "./execution-inputs";
import { useProviderKind, useRunTarget } from "./run-target";

/** Prompts and deployments offered (the API's largest page). */
export const START_PROMPTS_INPUT = { pageSize: 100 } as const;
export const START_DEPLOYMENTS_INPUT = { pageSize: 100 } as const;

export interface StartExecutionDefaults {
  promptId: string | null;
  version: number | null;
  deploymentId: string | null;
  /** An execution whose input fills the form ("Run again"). */
  fromExecutionId: string | null;
}

/**
 * "Start execution": choose a prompt (and version, provider) or a deployment, fill the template's
 * variables, start → the execution's page.
 */
export function StartExecutionForm({ defaults }: { defaults: StartExecutionDefaults }) {
  const trpc = useTRPC();
  const leaveTo = useLeaveTo();
  const href = useWorkspaceHref();
  const queryClient = useQueryClient();
  const prompts = useQuery(trpc.prompts.list.queryOptions(START_PROMPTS_INPUT));
  const deploymentsOn = useFeature("deployments");
  const filesOn = useFeature("files");
  const deployments = useQuery(trpc.deployments.list.queryOptions(deploymentsOn ? START_DEPLOYMENTS_INPUT : skipToken));
  // Prefetched by the page, so the first render already has it.
  const source = useQuery(trpc.executions.get.queryOptions(defaults.fromExecutionId ? { id: defaults.fromExecutionId } : skipToken));

  const [mode, setMode] = useState<"prompt" | "deployment">(defaults.deploymentId && deploymentsOn ? "deployment" : "prompt");
  const [promptId, setPromptId] = useState<string | null>(defaults.promptId);
  const [version, setVersion] = useState<number | null>(defaults.version);
  const [deploymentId, setDeploymentId] = useState<string | null>(defaults.deploymentId);
  const [values, setValues] = useState<Record<string, string>>(() => (source.data ? toTexts(source.data.input) : {}));
  const [choice, setChoice] = useState<ProviderChoice>(() =>
    source.data && !source.data.deploymentId
      ? { provider: source.data.provider, model: source.data.provider === "template" ? "" : source.data.model, options: optionsText(source.data.options) }
      : { provider: "template", model: "", options: "" },
  );
  // Over the deployment's own options, one by one; "Run again" repeats the options its source ran with.
  const [overrideOptions, setOverrideOptions] = useState(() => (source.data?.deploymentId ? optionsText(source.data.options) : ""));
  const [fileIds, setFileIds] = useState<string[]>(() => source.data?.fileIds ?? []);
  const [missing, setMissing] = useState<string | null>(null);

  const deployment = deployments.data?.data.find((candidate) => candidate.id === deploymentId) ?? null;
  const deploymentQuery = useQuery(trpc.deployments.get.queryOptions(mode === "deployment" && deploymentId && !deployment ? { id: deploymentId } : skipToken));
  const chosenDeployment = deployment ?? deploymentQuery.data ?? null;
  const target = useRunTarget(
    mode === "prompt" ? promptId : (chosenDeployment?.promptId ?? null),
    mode === "prompt" ? version : (chosenDeployment?.promptVersion ?? null),
  );
  const providerKind = useProviderKind(mode === "prompt" ? choice.provider : (chosenDeployment?.provider ?? ""));
  const optionsCheck = useOptionsCheck(
    mode === "prompt" ? choice.options : overrideOptions,
    providerKind,
    mode === "prompt" ? undefined : chosenDeployment?.options,
  );
  const versions = useQuery(trpc.prompts.versions.queryOptions(mode === "prompt" && promptId ? { id: promptId } : skipToken));

  const create = useMutation(
    trpc.executions.create.mutationOptions({
      onSuccess: async (execution) => {
        queryClient.setQueryData(trpc.executions.get.queryKey({ id: execution.id }), execution);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.executions.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.executions.stats.queryKey() }),
        ]);
        leaveTo(href(`/executions/${execution.id}`));
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(create.error);
  // Typed values and picked files are work; the choice of prompt alone is not.
  useUnsavedChanges(useChangedSinceMount({ values, choice, fileIds, overrideOptions }) && !create.isSuccess);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mode === "prompt" && !promptId) return setMissing("Choose a prompt.");
    if (mode === "deployment" && !deploymentId) return setMissing("Choose a deployment.");
    if (!target.variables) return;
    setMissing(null);
    const options = optionsCheck.result;
    if (!options.ok) return optionsCheck.reveal();
    const input = toVariables(target.variables, values, target.version?.inputSchema ?? null);
    const files = target.version?.acceptsFiles && filesOn ? fileIds : [];
    if (mode === "deployment" && deploymentId) {
      create.mutate({ deploymentId, input, fileIds: files, options: options.value });
    } else if (promptId) {
      create.mutate({
        promptId,
        version: version ?? undefined,
        input,
        provider: choice.provider,
        model: choice.model.trim() === "" ? undefined : choice.model.trim(),
        fileIds: files,
        options: options.value,
      });
    }
  };

  const promptOptions = prompts.data?.data ?? [];
  const deploymentOptions = deployments.data?.data ?? [];
  const hasDeployments = deploymentOptions.length > 0 || deploymentId !== null;

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl space-y-6">
      <div className="space-y-5 rounded-lg border border-gray-200 bg-white p-5 shadow-xs">
        {deploymentsOn ? (
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-gray-800">Start from</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              <ModeOption
                checked={mode === "prompt"}
                onChange={() => setMode("prompt")}
                title="A prompt"
                description="Any version, with the built-in renderer or a provider."
              />
              <ModeOption
                checked={mode === "deployment"}
                onChange={() => setMode("deployment")}
                title="A deployment"
                description={
                  hasDeployments ? "A named prompt version with its provider and model." : "No deployments yet: admins create them under Deployments."
                }
                disabled={!hasDeployments}
              />
            </div>
          </fieldset>
        ) : null}

        {mode === "prompt" ? (
          <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_10rem]">
            <Field label="Prompt" error={missing && !promptId ? missing : fieldErrors.promptId}>
              {(props) => (
                <Select
                  {...props}
                  value={promptId ?? ""}
                  onChange={(event) => {
                    setPromptId(event.target.value || null);
                    setVersion(null);
                    setFileIds([]);
                  }}
                >
                  <option value="">{prompts.isPending ? "Loading prompts…" : "Choose a prompt…"}</option>
                  {promptId && target.prompt && !promptOptions.some((prompt) => prompt.id === promptId) ? (
                    <option value={promptId}>{target.prompt.name}</option>
                  ) : null}
                  {promptOptions.map((prompt) => (
                    <option key={prompt.id} value={prompt.id}>
                      {prompt.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="Version" error={fieldErrors.version}>
              {(props) => (
                <Select
                  {...props}
                  value={version ?? ""}
                  disabled={!promptId}
                  onChange={(event) => setVersion(event.target.value === "" ? null : Number(event.target.value))}
                >
                  <option value="">{target.prompt ? `Current (v${target.prompt.currentVersion})` : "Current"}</option>
                  {(versions.data ?? []).map((row) => (
                    <option key={row.id} value={row.version}>
                      v{row.version}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
        ) : (
          <Field label="Deployment" error={missing && !deploymentId ? missing : fieldErrors.deploymentId}>
            {(props) => (
              <Select
                {...props}
                value={deploymentId ?? ""}
                onChange={(event) => {
                  setDeploymentId(event.target.value || null);
                  setFileIds([]);
                }}
              >
                <option value="">{deployments.isPending ? "Loading deployments…" : "Choose a deployment…"}</option>
                {chosenDeployment && !deploymentOptions.some((candidate) => candidate.id === chosenDeployment.id) ? (
                  <option value={chosenDeployment.id}>{chosenDeployment.name}</option>
                ) : null}
                {deploymentOptions.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name} · {candidate.provider}/{candidate.model}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}

        {mode === "deployment" && chosenDeployment ? (
          <p className="text-sm text-gray-600">
            Runs {target.prompt ? <span className="font-medium text-gray-800">{target.prompt.name}</span> : "its prompt"}{" "}
            {chosenDeployment.promptVersion === null
              ? `(current version${target.prompt ? `, v${target.prompt.currentVersion}` : ""})`
              : `v${chosenDeployment.promptVersion}`}{" "}
            with{" "}
            <span className="font-mono text-[13px]">
              {chosenDeployment.provider}/{chosenDeployment.model}
            </span>
            .
          </p>
        ) : null}
        <ErrorAlert error={prompts.error ?? deployments.error} title="Could not load the choices" />
      </div>

      {(mode === "prompt" ? promptId : chosenDeployment) ? (
        <div className="space-y-5 rounded-lg border border-gray-200 bg-white p-5 shadow-xs">
          <ErrorAlert error={target.error} title="Could not load the prompt version" />
          <VariableInputs
            names={target.variables}
            values={values}
            onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
            loading={target.loading}
            schema={target.version?.inputSchema ?? null}
            errors={inputErrorsByVariable(create.error, target.variables ?? [])}
          />
          {mode === "prompt" ? (
            <ProviderFields value={choice} onChange={setChoice} errors={{ ...fieldErrors, options: optionsCheck.error ?? fieldErrors.options }} />
          ) : chosenDeployment ? (
            <ProviderOptionsField
              kind={providerKind}
              label="Options override"
              value={overrideOptions}
              onChange={setOverrideOptions}
              error={optionsCheck.error ?? fieldErrors.options}
              note={
                Object.keys(chosenDeployment.options).length === 0
                  ? "The deployment sets none."
                  : `The deployment's own: ${compactJson(chosenDeployment.options)}; an option named here replaces it for this run.`
              }
            />
          ) : null}
          {target.version?.acceptsFiles && filesOn ? <FileChoices selected={fileIds} onChange={setFileIds} error={fieldErrors.fileIds} /> : null}
        </div>
      ) : null}

      <ErrorAlert error={Object.keys(fieldErrors).length > 0 ? null : create.error} title="Could not start the execution" />
      <div className="flex items-center justify-end gap-2">
        <Link href={href("/executions")} className={buttonClasses({ variant: "ghost" })}>
          Cancel
        </Link>
        <Button type="submit" loading={create.isPending || create.isSuccess} disabled={target.loading}>
          Start execution
        </Button>
      </div>
    </form>
  );
}

function ModeOption({
  checked,
  onChange,
  title,
  description,
  disabled = false,
}: {
  checked: boolean;
  onChange: () => void;
  title: string;
  description: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <label
      className={
        checked
          ? "flex cursor-pointer gap-3 rounded-md border border-brand-600 bg-brand-50/50 p-3 ring-1 ring-brand-600"
          : disabled
            ? "flex cursor-not-allowed gap-3 rounded-md border border-gray-200 p-3 opacity-60"
            : "flex cursor-pointer gap-3 rounded-md border border-gray-300 p-3 hover:border-gray-400"
      }
    >
      <input
        type="radio"
        name="start-from"
        checked={checked}
        onChange={onChange}
        disabled={disabled}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-description`}
        className="mt-0.5 size-4 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      />
      <span className="text-sm">
        <span id={`${id}-title`} className="block font-medium text-gray-900">
          {title}
        </span>
        <span id={`${id}-description`} className="block text-gray-600">
          {description}
        </span>
      </span>
    </label>
  );
}
