"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { declaredTypes, emptyVariableWarning } from "@/components/prompts/variables";
import { Checkbox, CheckboxGroup } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Select, Textarea } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/spinner";
import { useTRPC } from "@/trpc/client";
import { ModelInput } from "@/components/providers/model-input";
import { ProviderOptionsField } from "@/components/providers/provider-options-field";
import { providerKindOf } from "@/components/providers/provider-options";
import { useProviders } from "./run-target";

/** The hint under a variable's input when it is left empty (non-blocking). */
export function emptyVariableHint(name: string, text: string | undefined): ReactNode {
  const warning = emptyVariableWarning(name, text);
  return warning === null ? undefined : <span className="text-amber-800">{warning}</span>;
}

/**
 * One labelled input per template variable (labelled by the variable's name, with the type the
 * prompt's input schema declares for it), and the schema's refusal under each one (`errors`).
 */
export function VariableInputs({
  names,
  values,
  onChange,
  loading = false,
  schema = null,
  errors = {},
}: {
  names: readonly string[] | undefined;
  values: Readonly<Record<string, string>>;
  onChange: (name: string, value: string) => void;
  loading?: boolean;
  schema?: Readonly<Record<string, unknown>> | null;
  errors?: Readonly<Record<string, string | undefined>>;
}) {
  if (loading || names === undefined) {
    return (
      <div role="status" className="space-y-3">
        <span className="sr-only">Loading the variables…</span>
        <Skeleton className="h-4 w-24" />
        <Skeleton className="h-16 w-full" />
      </div>
    );
  }
  if (names.length === 0) return <p className="text-sm text-gray-600">This version&apos;s template has no variables: it runs as written.</p>;
  return (
    <fieldset className="space-y-3">
      <legend className="mb-1 text-sm font-semibold text-gray-900">Input variables</legend>
      {names.map((name) => (
        <Field
          key={name}
          label={<VariableLabel name={name} types={declaredTypes(schema, name)} />}
          hint={emptyVariableHint(name, values[name])}
          error={errors[name]}
        >
          {(props) => (
            <Textarea
              {...props}
              rows={2}
              value={values[name] ?? ""}
              onChange={(event) => onChange(name, event.target.value)}
              spellCheck={false}
              className="min-h-10 font-mono text-[13px]"
            />
          )}
        </Field>
      ))}
      <p className="text-xs text-gray-500">
        Text is inserted as is; JSON lists and objects (<code className="font-mono">[&quot;a&quot;, &quot;b&quot;]</code>) are passed as values.
      </p>
    </fieldset>
  );
}

function VariableLabel({ name, types }: { name: string; types: readonly string[] | null }) {
  return (
    <span className="flex items-baseline gap-2">
      <span className="font-mono text-[13px]">{name}</span>
      {types ? <span className="text-xs font-normal text-gray-500">{types.join(" or ")}</span> : null}
    </span>
  );
}

export interface ProviderChoice {
  provider: string;
  model: string;
  /** The Options field's text (a JSON object; blank for none), checked by parseProviderOptions. */
  options: string;
}

/** Provider, model and options of a prompt run: "template" renders the prompt without a model. */
export function ProviderFields({
  value,
  onChange,
  errors,
}: {
  value: ProviderChoice;
  onChange: (value: ProviderChoice) => void;
  errors?: Record<string, string | undefined>;
}) {
  const providers = useProviders();
  const selected = providers.find((provider) => provider.identifier === value.provider);
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field
        label="Provider"
        className={value.provider === "template" ? "sm:col-span-2" : undefined}
        error={errors?.provider}
        hint={providers.length === 1 ? "Renders the template without a model. Deployments run configured model providers." : undefined}
      >
        {(props) => (
          <Select
            {...props}
            value={value.provider}
            onChange={(event) => onChange({ ...value, provider: event.target.value, model: "" })}
            className="sm:max-w-xs"
          >
            {providers.map((provider) => (
              <option key={provider.identifier} value={provider.identifier}>
                {provider.identifier === "template" ? "template — built-in renderer" : provider.identifier}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {value.provider !== "template" ? (
        <Field label="Model" optional error={errors?.model} hint={selected?.defaultModel ? `Defaults to ${selected.defaultModel}.` : undefined}>
          {(props) => (
            <ModelInput
              {...props}
              provider={value.provider}
              value={value.model}
              onChange={(event) => onChange({ ...value, model: event.target.value })}
              placeholder={selected?.defaultModel}
            />
          )}
        </Field>
      ) : null}
      <ProviderOptionsField
        kind={providerKindOf(value.provider, providers)}
        value={value.options}
        onChange={(options) => onChange({ ...value, options })}
        error={errors?.options}
        className="sm:col-span-2"
      />
    </div>
  );
}

/** Uploaded files to attach (only for prompt versions that accept files). */
export function FileChoices({ selected, onChange, error }: { selected: readonly string[]; onChange: (fileIds: string[]) => void; error?: string }) {
  const trpc = useTRPC();
  const files = useQuery(trpc.files.list.queryOptions({ pageSize: 50 }));
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((fileId) => fileId !== id));
  return (
    <CheckboxGroup
      legend="Files"
      error={error ?? (files.error ? files.error.message : undefined)}
      hint="The template sees them as {{#files}}{{name}}: {{text}}{{/files}}. At most 20."
    >
      {files.isPending ? (
        <Skeleton className="h-4 w-48" />
      ) : (files.data?.data.length ?? 0) === 0 ? (
        <p className="text-sm text-gray-600">No files uploaded yet.</p>
      ) : (
        <div className="max-h-44 space-y-2 overflow-y-auto pr-1">
          {files.data?.data.map((file) => (
            <Checkbox
              key={file.id}
              label={file.name}
              description={`${file.mimeType} · ${formatBytes(file.size)}`}
              checked={selected.includes(file.id)}
              disabled={!selected.includes(file.id) && selected.length >= 20}
              onChange={(event) => toggle(file.id, event.target.checked)}
            />
          ))}
        </div>
      )}
    </CheckboxGroup>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
