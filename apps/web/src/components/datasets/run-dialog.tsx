"use client";

import { MAX_BATCH_TARGETS } from "@sigil/validators";
import { skipToken, useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { ProviderOptionsField } from "@/components/providers/provider-options-field";
import { parseProviderOptions, providerKindOf } from "@/components/providers/provider-options";
import { useProviders } from "@/components/executions/run-target";
import { useTRPC } from "@/trpc/client";

interface TargetDraft {
  version: number;
  provider: string;
  model: string;
  /** This column's provider options (a JSON object; blank for none). */
  options: string;
}

/**
 * "Run over dataset": a prompt (fixed when opened from a prompt) and a dataset (fixed when opened
 * from a dataset), and the grid's columns: several versions, or one version on several
 * provider:model pairs. The run starts at once and its page shows the progress.
 */
export function RunDialog({ open, onClose, promptId, datasetId }: { open: boolean; onClose: () => void; promptId?: string; datasetId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const href = useWorkspaceHref();
  const [chosenPrompt, setChosenPrompt] = useState(promptId ?? "");
  const [chosenDataset, setChosenDataset] = useState(datasetId ?? "");
  const [targets, setTargets] = useState<TargetDraft[]>([]);
  const [optionErrors, setOptionErrors] = useState<(string | undefined)[]>([]);
  const prompts = useQuery(trpc.prompts.list.queryOptions(promptId ? skipToken : { pageSize: 100 }));
  const datasets = useQuery(trpc.datasets.list.queryOptions(datasetId ? skipToken : { pageSize: 100 }));
  const versions = useQuery(trpc.prompts.versions.queryOptions(chosenPrompt ? { id: chosenPrompt } : skipToken));
  const runnable = useProviders();
  const providers = runnable.map((provider) => provider.identifier);
  const create = useMutation(trpc.batchRuns.create.mutationOptions({ onSuccess: (run) => router.push(href(`/batch-runs/${run.id}`)) }));

  const latest = versions.data?.[0]?.version ?? 1;
  const addTarget = () =>
    setTargets((current) => [
      ...current,
      { version: current.at(-1)?.version ?? latest, provider: current.at(-1)?.provider ?? "template", model: "", options: current.at(-1)?.options ?? "" },
    ]);
  const shown = targets.length > 0 ? targets : [{ version: latest, provider: "template", model: "", options: "" }];
  // Until a column is added, the one shown is the default: its first edit makes it a real one.
  const change = (index: number, patch: Partial<TargetDraft>) => {
    setTargets((current) => (current.length > 0 ? current : shown).map((target, at) => (at === index ? { ...target, ...patch } : target)));
    setOptionErrors((current) => current.map((error, at) => (at === index ? undefined : error)));
  };
  const start = () => {
    const options = shown.map((target) => parseProviderOptions(target.options, providerKindOf(target.provider, runnable)));
    setOptionErrors(options.map((result) => (result.ok ? undefined : result.message)));
    if (options.some((result) => !result.ok)) return;
    create.mutate({
      promptId: chosenPrompt,
      datasetId: chosenDataset,
      targets: shown.map((target, index) => {
        const parsed = options[index];
        return {
          version: target.version,
          provider: target.provider,
          ...(target.model.trim() ? { model: target.model.trim() } : {}),
          options: parsed?.ok ? parsed.value : {},
        };
      }),
    });
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Run over a dataset"
      description="Every item of the dataset runs once per column. Each execution counts against the plan's monthly executions; a run that would pass the limit is refused before it starts."
      className="max-w-3xl"
      footer={
        <Button loading={create.isPending} disabled={!chosenPrompt || !chosenDataset} onClick={start}>
          Start run
        </Button>
      }
    >
      <div className="space-y-4">
        {promptId ? null : (
          <Field label="Prompt">
            {(props) => (
              <Select {...props} value={chosenPrompt} onChange={(event) => setChosenPrompt(event.target.value)}>
                <option value="">Choose a prompt</option>
                {prompts.data?.data.map((prompt) => (
                  <option key={prompt.id} value={prompt.id}>
                    {prompt.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        {datasetId ? null : (
          <Field label="Dataset">
            {(props) => (
              <Select {...props} value={chosenDataset} onChange={(event) => setChosenDataset(event.target.value)}>
                <option value="">Choose a dataset</option>
                {datasets.data?.data.map((dataset) => (
                  <option key={dataset.id} value={dataset.id}>
                    {dataset.name} ({dataset.itemCount} items)
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-gray-900">Columns (versions or provider:model pairs)</legend>
          {shown.map((target, index) => (
            <div key={index} className="grid items-end gap-2 sm:grid-cols-[8rem_10rem_1fr_auto]">
              <Field label={`Column ${index + 1} version`}>
                {(props) => (
                  <Select {...props} value={target.version} onChange={(event) => change(index, { version: Number(event.target.value) })}>
                    {(versions.data ?? [{ version: 1 }]).map((version) => (
                      <option key={version.version} value={version.version}>
                        v{version.version}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={`Column ${index + 1} provider`}>
                {(props) => (
                  <Select {...props} value={target.provider} onChange={(event) => change(index, { provider: event.target.value })}>
                    {providers.map((provider) => (
                      <option key={provider} value={provider}>
                        {provider}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={`Column ${index + 1} model`} optional>
                {(props) => (
                  <Input
                    {...props}
                    placeholder="the provider's default"
                    value={target.model}
                    onChange={(event) => change(index, { model: event.target.value })}
                  />
                )}
              </Field>
              <Button
                variant="ghost"
                size="sm"
                disabled={shown.length === 1}
                onClick={() => {
                  setTargets(shown.filter((_, at) => at !== index));
                  setOptionErrors((current) => current.filter((_, at) => at !== index));
                }}
              >
                Remove<span className="sr-only"> column {index + 1}</span>
              </Button>
              <ProviderOptionsField
                kind={providerKindOf(target.provider, runnable)}
                label={`Column ${index + 1} options`}
                name={`options-${index}`}
                value={target.options}
                onChange={(value) => change(index, { options: value })}
                error={optionErrors[index]}
                note="They apply to this column only."
                className="sm:col-span-4"
              />
            </div>
          ))}
          <Button
            variant="secondary"
            size="sm"
            disabled={shown.length >= MAX_BATCH_TARGETS}
            onClick={() => (targets.length === 0 ? setTargets([...shown, { ...shown[0], model: "" } as TargetDraft]) : addTarget())}
          >
            Add column
          </Button>
          <p className="text-xs text-gray-500">At most {MAX_BATCH_TARGETS} columns.</p>
        </fieldset>
        <ErrorAlert error={create.error} title="The run did not start" />
      </div>
    </Dialog>
  );
}
