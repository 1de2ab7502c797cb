"use client";

import {
  DEFAULT_BASE_URLS,
  DEFAULT_MAX_CONCURRENCY,
  PROVIDER_KIND_LABELS,
  PROVIDER_KINDS,
  providerKeyRequired,
  saveProviderInput,
  saveWebhookInput,
  WEBHOOK_EVENTS,
  type ProviderKind,
} from "@sigil/validators";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { useChangedSinceMount, useUnsavedChanges } from "@/components/unsaved-changes/context";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox, CheckboxGroup } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { useFeature } from "@/components/workspace/workspace-context";
import { useToast } from "@/components/ui/toast";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { issuesByField } from "@/lib/form-errors";

export type Provider = RouterOutputs["settings"]["list"]["providers"][number];
export type Webhook = RouterOutputs["settings"]["list"]["webhooks"][number];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const EVENT_DESCRIPTIONS: Record<WebhookEvent, string> = {
  "execution.completed": "An execution finished with a result.",
  "execution.failed": "An execution failed.",
  "batch.completed": "A batch run over a dataset finished.",
};

/** "••••1234" for a saved key (the API only returns its last four characters). */
export function maskedKey(provider: Pick<Provider, "apiKeySet" | "apiKeyHint">): string | null {
  if (!provider.apiKeySet) return null;
  return provider.apiKeyHint ? `••••${provider.apiKeyHint.replace(/^…/, "")}` : "••••••••";
}

function FormFooter({ onCancel, pending, children }: { onCancel: () => void; pending: boolean; children: ReactNode }) {
  return (
    <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
      <Button variant="secondary" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {children}
      </Button>
    </div>
  );
}

/** Add (provider = null) or edit a model provider. The key is write-only: empty keeps the saved one. */
export function ProviderDialog({ open, provider, onClose }: { open: boolean; provider: Provider | null; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={provider ? `Edit provider ${provider.identifier}` : "Add a model provider"}
      description="A model API (Anthropic, OpenAI, Gemini, Ollama or any OpenAI-compatible server) that deployments and executions use by its identifier."
    >
      {open ? <ProviderForm key={provider?.identifier ?? "new"} provider={provider} onDone={onClose} /> : null}
    </Dialog>
  );
}

function ProviderForm({ provider, onDone }: { provider: Provider | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [identifier, setIdentifier] = useState(provider?.identifier ?? "");
  const [kind, setKind] = useState<ProviderKind>(provider?.kind ?? "openai");
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? DEFAULT_BASE_URLS.openai);
  const [active, setActive] = useState(provider?.active ?? true);
  const [maxConcurrency, setMaxConcurrency] = useState(String(provider?.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY));
  const [defaultModel, setDefaultModel] = useState(provider?.defaultModel ?? "");
  const [apiKey, setApiKey] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const save = useMutation(
    trpc.settings.saveProvider.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({ queryKey: trpc.settings.list.queryKey() });
        toast({
          title: `Provider ${saved.identifier} saved`,
          description: saved.apiKeySet ? `Key ${maskedKey(saved) ?? ""} set.` : undefined,
          tone: "success",
        });
        onDone();
      },
    }),
  );
  useUnsavedChanges(useChangedSinceMount({ identifier, kind, baseUrl, defaultModel, apiKey, active, maxConcurrency }) && !save.isSuccess);
  const serverErrors = fieldErrorsOf(save.error);
  const errors = { ...serverErrors, ...localErrors };
  const masked = provider ? maskedKey(provider) : null;
  const keyRequired = providerKeyRequired(kind);

  /** A new kind brings its default base URL, unless one was typed that is not another kind's default. */
  const onKindChange = (next: ProviderKind) => {
    const isDefault = baseUrl.trim() === "" || Object.values(DEFAULT_BASE_URLS).includes(baseUrl.trim());
    setKind(next);
    if (isDefault) setBaseUrl(DEFAULT_BASE_URLS[next]);
    setLocalErrors((current) => ({ ...current, apiKey: undefined }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = {
      identifier: identifier.trim(),
      kind,
      baseUrl: baseUrl.trim(),
      defaultModel: defaultModel.trim(),
      apiKey: apiKey === "" ? undefined : apiKey,
      active,
      maxConcurrency: Number(maxConcurrency),
    };
    const parsed = saveProviderInput.safeParse(input);
    const next = parsed.success ? {} : issuesByField(parsed.error.issues);
    if (keyRequired && !provider?.apiKeySet && input.apiKey === undefined) next.apiKey = "Enter the provider's API key.";
    if (input.defaultModel === "") next.defaultModel = "Enter the model used when a deployment names none.";
    setLocalErrors(next);
    if (Object.values(next).some(Boolean)) return;
    save.mutate(input);
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {save.error && !Object.values(serverErrors).some(Boolean) ? <ErrorAlert error={save.error} title="Could not save the provider" /> : null}
      <Field
        label="Identifier"
        error={errors.identifier}
        hint={
          provider
            ? "The identifier cannot change; add another provider instead."
            : "Lower-case letters, digits and dashes, e.g. openai. Deployments refer to it."
        }
      >
        {(props) => (
          <Input
            {...props}
            name="identifier"
            autoComplete="off"
            spellCheck={false}
            readOnly={provider !== null}
            autoFocus={provider === null}
            value={identifier}
            onChange={(event) => {
              setIdentifier(event.target.value);
              setLocalErrors((current) => ({ ...current, identifier: undefined }));
            }}
            className={provider ? "bg-gray-50 font-mono text-gray-600" : "font-mono"}
          />
        )}
      </Field>
      <Field label="Kind" error={errors.kind} hint="The API the provider speaks; it decides the request format and the options runs may set.">
        {(props) => (
          <Select {...props} name="kind" value={kind} onChange={(event) => onKindChange(event.target.value as ProviderKind)}>
            {PROVIDER_KINDS.map((option) => (
              <option key={option} value={option}>
                {PROVIDER_KIND_LABELS[option]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        label="Base URL"
        error={errors.baseUrl}
        hint={
          kind === "ollama" || kind === "openai-compatible"
            ? "A server on this machine or network needs the operator's SIGIL_OUTBOUND_ALLOW."
            : "The API's root."
        }
      >
        {(props) => (
          <Input
            {...props}
            type="url"
            name="baseUrl"
            autoComplete="off"
            spellCheck={false}
            placeholder={DEFAULT_BASE_URLS[kind] || "http://models.example.com/v1"}
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
          />
        )}
      </Field>
      <Field label="Default model" error={errors.defaultModel}>
        {(props) => (
          <Input
            {...props}
            name="defaultModel"
            autoComplete="off"
            spellCheck={false}
            placeholder="gpt-4o-mini"
            value={defaultModel}
            onChange={(event) => setDefaultModel(event.target.value)}
          />
        )}
      </Field>
      <Field
        label="API key"
        optional={provider?.apiKeySet === true || !keyRequired}
        error={errors.apiKey}
        hint={
          masked
            ? `Leave empty to keep the saved key (${masked}).`
            : `Write-only: after saving, only its last four characters are shown.${keyRequired ? "" : " A local server may need none."}`
        }
      >
        {(props) => (
          <Input
            {...props}
            type="password"
            name="apiKey"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={masked ?? ""}
            autoFocus={provider !== null}
            value={apiKey}
            onChange={(event) => {
              setApiKey(event.target.value);
              setLocalErrors((current) => ({ ...current, apiKey: undefined }));
            }}
          />
        )}
      </Field>
      <Field label="Concurrent executions" error={errors.maxConcurrency} hint="How many executions of this provider run at once for this workspace (1–64).">
        {(props) => (
          <Input
            {...props}
            type="number"
            name="maxConcurrency"
            min={1}
            max={64}
            step={1}
            value={maxConcurrency}
            onChange={(event) => setMaxConcurrency(event.target.value)}
            className="w-28"
          />
        )}
      </Field>
      <Checkbox
        name="active"
        label="Active"
        description="A deactivated provider keeps its settings; new executions are refused and queued ones fail."
        checked={active}
        onChange={(event) => setActive(event.target.checked)}
      />
      <FormFooter onCancel={onDone} pending={save.isPending}>
        {provider ? "Save provider" : "Add provider"}
      </FormFooter>
    </form>
  );
}

/**
 * Add (webhook = null) or edit a webhook: URL, the events it receives, an optional deployment,
 * on or off. A new webhook's signing secret goes to `onSecret` (shown once).
 */
export function WebhookDialog({
  open,
  webhook,
  onClose,
  onSecret,
}: {
  open: boolean;
  webhook: Webhook | null;
  onClose: () => void;
  onSecret: (identifier: string, secret: string) => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={webhook ? `Edit webhook ${webhook.identifier}` : "Add a webhook"}
      description="Sigil POSTs a JSON event to the URL when one of the chosen events happens."
    >
      {open ? <WebhookForm key={webhook?.identifier ?? "new"} webhook={webhook} onDone={onClose} onSecret={onSecret} /> : null}
    </Dialog>
  );
}

function WebhookForm({ webhook, onDone, onSecret }: { webhook: Webhook | null; onDone: () => void; onSecret: (identifier: string, secret: string) => void }) {
  const trpc = useTRPC();
  const hasDeployments = useFeature("deployments");
  const deployments = useQuery(trpc.deployments.list.queryOptions({ pageSize: 100 }, { enabled: hasDeployments }));
  const [deploymentId, setDeploymentId] = useState(webhook?.deploymentId ?? "");
  const queryClient = useQueryClient();
  const toast = useToast();
  const [identifier, setIdentifier] = useState(webhook?.identifier ?? "");
  const [url, setUrl] = useState(webhook?.url ?? "");
  const [events, setEvents] = useState<WebhookEvent[]>(webhook?.events ?? ["execution.completed", "execution.failed"]);
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const save = useMutation(
    trpc.settings.saveWebhook.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({ queryKey: trpc.settings.list.queryKey() });
        toast({ title: `Webhook ${saved.identifier} saved`, tone: "success" });
        onDone();
        if (saved.secret) onSecret(saved.identifier, saved.secret);
      },
    }),
  );
  useUnsavedChanges(useChangedSinceMount({ identifier, url, events, enabled, deploymentId }) && !save.isSuccess);
  const serverErrors = fieldErrorsOf(save.error);
  const errors = { ...serverErrors, ...localErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { identifier: identifier.trim(), url: url.trim(), events, enabled, deploymentId: deploymentId === "" ? null : deploymentId };
    const parsed = saveWebhookInput.safeParse(input);
    const next = parsed.success ? {} : issuesByField(parsed.error.issues);
    setLocalErrors(next);
    if (Object.values(next).some(Boolean)) return;
    save.mutate(input);
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {save.error && !Object.values(serverErrors).some(Boolean) ? <ErrorAlert error={save.error} title="Could not save the webhook" /> : null}
      <Field
        label="Identifier"
        error={errors.identifier}
        hint={webhook ? "The identifier cannot change." : "Lower-case letters, digits and dashes, e.g. slack-alerts."}
      >
        {(props) => (
          <Input
            {...props}
            name="identifier"
            autoComplete="off"
            spellCheck={false}
            readOnly={webhook !== null}
            autoFocus={webhook === null}
            value={identifier}
            onChange={(event) => setIdentifier(event.target.value)}
            className={webhook ? "bg-gray-50 font-mono text-gray-600" : "font-mono"}
          />
        )}
      </Field>
      <Field label="URL" error={errors.url}>
        {(props) => (
          <Input
            {...props}
            type="url"
            name="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/hooks/sigil"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
          />
        )}
      </Field>
      <CheckboxGroup legend="Events" error={errors.events}>
        {WEBHOOK_EVENTS.map((name) => (
          <Checkbox
            key={name}
            name="events"
            value={name}
            label={<span className="font-mono text-xs">{name}</span>}
            description={EVENT_DESCRIPTIONS[name]}
            checked={events.includes(name)}
            onChange={(event) => {
              const checked = event.target.checked;
              setEvents((current) =>
                checked ? WEBHOOK_EVENTS.filter((item) => item === name || current.includes(item)) : current.filter((item) => item !== name),
              );
              setLocalErrors((current) => ({ ...current, events: undefined }));
            }}
          />
        ))}
      </CheckboxGroup>
      {hasDeployments ? (
        <Field label="Deployment" error={errors.deploymentId} hint="Limit the execution events to one deployment's executions (it then gets no batch events).">
          {(props) => (
            <Select {...props} name="deploymentId" value={deploymentId} onChange={(event) => setDeploymentId(event.target.value)}>
              <option value="">All deployments and executions</option>
              {(deployments.data?.data ?? []).map((deployment) => (
                <option key={deployment.id} value={deployment.id}>
                  {deployment.name}
                </option>
              ))}
              {deploymentId !== "" && deployments.data && !deployments.data.data.some((deployment) => deployment.id === deploymentId) ? (
                <option value={deploymentId}>A deleted deployment</option>
              ) : null}
            </Select>
          )}
        </Field>
      ) : null}
      <Checkbox
        name="enabled"
        label="Enabled"
        description="A disabled webhook keeps its settings but receives nothing."
        checked={enabled}
        onChange={(event) => setEnabled(event.target.checked)}
      />
      <FormFooter onCancel={onDone} pending={save.isPending}>
        {webhook ? "Save webhook" : "Add webhook"}
      </FormFooter>
    </form>
  );
}
