"use client";

import { createDeploymentInput } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useChangedSinceMount, useUnsavedChanges } from "@/components/unsaved-changes/context";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { ModelInput } from "@/components/providers/model-input";
import { ProviderOptionsField } from "@/components/providers/provider-options-field";
import { parseProviderOptions, providerKindOf, TEMPLATE_PROVIDER } from "@/components/providers/provider-options";
import { useToast } from "@/components/ui/toast";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { toJsonText } from "./json";
import { issuesByField } from "@/lib/form-errors";

export type Deployment = RouterOutputs["deployments"]["list"]["data"][number];
export type PromptOption = Pick<RouterOutputs["prompts"]["list"]["data"][number], "id" | "name" | "currentVersion">;
export type ProviderOption = Pick<RouterOutputs["settings"]["list"]["providers"][number], "identifier" | "defaultModel"> &
  Partial<Pick<RouterOutputs["settings"]["list"]["providers"][number], "kind">>;

const TEMPLATE_MODEL = "mustache";

interface FormState {
  name: string;
  promptId: string;
  /** "" follows the prompt's current version. */
  promptVersion: string;
  provider: string;
  model: string;
  options: string;
}

/** A new deployment's starting prompt and version ("deploy this version" from a prompt's versions). */
export interface DeploymentPreset {
  promptId: string;
  promptVersion: number;
}

function initialState(deployment: Deployment | null, prompts: PromptOption[], preset: DeploymentPreset | undefined): FormState {
  if (deployment) {
    return {
      name: deployment.name,
      promptId: deployment.promptId,
      promptVersion: deployment.promptVersion === null ? "" : String(deployment.promptVersion),
      provider: deployment.provider,
      model: deployment.model,
      options: toJsonText(deployment.options),
    };
  }
  return {
    name: "",
    promptId: preset?.promptId ?? prompts[0]?.id ?? "",
    promptVersion: preset ? String(preset.promptVersion) : "",
    provider: TEMPLATE_PROVIDER,
    model: TEMPLATE_MODEL,
    options: "{}",
  };
}

/**
 * Create (deployment = null) or edit a deployment, admins only. Checked in the browser with the
 * API's own schema (and the options as a JSON object) before the round trip; the server's refusals
 * (name taken, unknown provider, missing version) are shown next to the field or above the form.
 */
export function DeploymentFormDialog({
  open,
  deployment,
  prompts,
  providers,
  preset,
  onClose,
}: {
  open: boolean;
  deployment: Deployment | null;
  prompts: PromptOption[];
  providers: ProviderOption[];
  preset?: DeploymentPreset;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={deployment ? `Edit ${deployment.name}` : "New deployment"}
      description={
        deployment
          ? "Changes apply to the next runs of this deployment."
          : "A stable name (a label such as production or staging) to run a prompt version with a provider and model."
      }
      className="max-w-xl"
    >
      {/* Remount per deployment so the fields start from its values. */}
      {open ? (
        <DeploymentForm key={deployment?.id ?? "new"} deployment={deployment} prompts={prompts} providers={providers} preset={preset} onDone={onClose} />
      ) : null}
    </Dialog>
  );
}

function DeploymentForm({
  deployment,
  prompts,
  providers,
  preset,
  onDone,
}: {
  deployment: Deployment | null;
  prompts: PromptOption[];
  providers: ProviderOption[];
  preset: DeploymentPreset | undefined;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const href = useWorkspaceHref();
  const [form, setForm] = useState<FormState>(() => initialState(deployment, prompts, preset));
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const dirty = useChangedSinceMount(form);

  const onSuccess = async (saved: Deployment) => {
    // The list and each prompt's labels (deployments.forPrompt).
    await queryClient.invalidateQueries({ queryKey: trpc.deployments.pathKey() });
    toast({ title: deployment ? `Deployment ${saved.name} saved` : `Deployment ${saved.name} created`, tone: "success" });
    onDone();
  };
  const create = useMutation(trpc.deployments.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.deployments.update.mutationOptions({ onSuccess }));
  const mutation = deployment ? update : create;
  useUnsavedChanges(dirty && !mutation.isSuccess);
  const serverErrors = fieldErrorsOf(mutation.error);
  const errors = { ...serverErrors, ...localErrors };

  const selectedPrompt = prompts.find((prompt) => prompt.id === form.promptId);
  const providerOptions = [{ identifier: TEMPLATE_PROVIDER, defaultModel: TEMPLATE_MODEL }, ...providers.filter((p) => p.identifier !== TEMPLATE_PROVIDER)];
  // A deployment may use a provider that has since been removed from the settings: keep it selectable.
  if (!providerOptions.some((option) => option.identifier === form.provider)) providerOptions.push({ identifier: form.provider, defaultModel: "" });

  const providerKind = providerKindOf(form.provider, providerOptions);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setLocalErrors((current) => ({ ...current, [key]: undefined }));
  };

  const onProviderChange = (provider: string) => {
    const previousDefault = providerOptions.find((option) => option.identifier === form.provider)?.defaultModel ?? "";
    const nextDefault = providerOptions.find((option) => option.identifier === provider)?.defaultModel ?? "";
    setForm((current) => ({ ...current, provider, model: current.model.trim() === "" || current.model === previousDefault ? nextDefault : current.model }));
    setLocalErrors((current) => ({ ...current, provider: undefined, model: undefined }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let next: Record<string, string | undefined> = {};
    const options = parseProviderOptions(form.options, providerKind);
    if (!options.ok) next.options = options.message;
    const input = {
      name: form.name.trim(),
      promptId: form.promptId,
      promptVersion: form.promptVersion === "" ? null : Number(form.promptVersion),
      provider: form.provider,
      model: form.model.trim(),
      options: options.ok ? options.value : {},
    };
    const parsed = createDeploymentInput.safeParse(input);
    if (!parsed.success) next = { ...issuesByField(parsed.error.issues), ...next };
    setLocalErrors(next);
    if (Object.values(next).some(Boolean)) return;
    if (deployment) {
      update.mutate({
        id: deployment.id,
        name: input.name,
        promptVersion: input.promptVersion,
        provider: input.provider,
        model: input.model,
        options: input.options,
      });
    } else {
      create.mutate(input);
    }
  };

  const hasServerFieldErrors = Object.values(serverErrors).some(Boolean);
  const versions = selectedPrompt ? Array.from({ length: selectedPrompt.currentVersion }, (_, index) => selectedPrompt.currentVersion - index) : [];
  // A pinned version of a prompt that is not in the options (not on the first page of prompts).
  if (form.promptVersion !== "" && !versions.includes(Number(form.promptVersion))) versions.unshift(Number(form.promptVersion));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {mutation.error && !hasServerFieldErrors ? (
        <ErrorAlert error={mutation.error} title={deployment ? "Could not save the deployment" : "Could not create the deployment"} />
      ) : null}
      <Field label="Name" error={errors.name} hint="Lower-case letters, digits, dots, dashes and underscores; programs run the deployment by this name.">
        {(props) => (
          <Input
            {...props}
            name="name"
            autoComplete="off"
            spellCheck={false}
            value={form.name}
            onChange={(event) => set("name", event.target.value)}
            className="font-mono"
            autoFocus
          />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Prompt"
          error={errors.promptId}
          hint={
            deployment
              ? "The prompt of a deployment cannot change; create another deployment instead."
              : prompts.length === 0
                ? "Create a prompt first."
                : undefined
          }
        >
          {(props) => (
            <Select
              {...props}
              name="promptId"
              value={form.promptId}
              disabled={deployment !== null}
              onChange={(event) => {
                set("promptId", event.target.value);
                set("promptVersion", "");
              }}
            >
              {form.promptId === "" ? (
                <option value="" disabled>
                  Choose a prompt
                </option>
              ) : null}
              {selectedPrompt === undefined && form.promptId !== "" ? <option value={form.promptId}>Prompt {form.promptId.slice(0, 8)}</option> : null}
              {prompts.map((prompt) => (
                <option key={prompt.id} value={prompt.id}>
                  {prompt.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Pinned version" optional error={errors.promptVersion} hint="Without a pin, runs use the prompt's current version.">
          {(props) => (
            <Select {...props} name="promptVersion" value={form.promptVersion} onChange={(event) => set("promptVersion", event.target.value)}>
              <option value="">Current version{selectedPrompt ? ` (now v${selectedPrompt.currentVersion})` : ""}</option>
              {versions.map((version) => (
                <option key={version} value={String(version)}>
                  Version {version}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          label="Provider"
          error={errors.provider}
          hint={
            form.provider === TEMPLATE_PROVIDER ? (
              <>
                Renders the prompt without calling a model.{" "}
                {providers.length === 0 ? (
                  <Link href={href("/settings")} className="text-brand-700 underline">
                    Add a model provider
                  </Link>
                ) : null}
              </>
            ) : undefined
          }
        >
          {(props) => (
            <Select {...props} name="provider" value={form.provider} onChange={(event) => onProviderChange(event.target.value)}>
              {providerOptions.map((option) => (
                <option key={option.identifier} value={option.identifier}>
                  {option.identifier === TEMPLATE_PROVIDER ? "template (built-in)" : option.identifier}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Model" error={errors.model}>
          {(props) => <ModelInput {...props} provider={form.provider} name="model" value={form.model} onChange={(event) => set("model", event.target.value)} />}
        </Field>
      </div>
      <ProviderOptionsField kind={providerKind} value={form.options} onChange={(value) => set("options", value)} error={errors.options} />
      <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
        <Button variant="secondary" onClick={onDone} disabled={mutation.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={mutation.isPending} disabled={!deployment && prompts.length === 0}>
          {deployment ? "Save changes" : "Create deployment"}
        </Button>
      </div>
    </form>
  );
}
