"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import { PROVIDER_KIND_LABELS } from "@sigil/validators";
import { TestConnection } from "@/components/providers/test-connection";
import { maskedKey, ProviderDialog, type Provider } from "./setting-dialogs";
import { WebhooksCard } from "./webhooks-card";

type Deleting = { type: "provider"; identifier: string } | { type: "webhook"; identifier: string } | null;

/** Model providers (credentials masked) and webhooks of the workspace; admins only. */
export function SettingsView() {
  const trpc = useTRPC();
  const { data: settings } = useSuspenseQuery(trpc.settings.list.queryOptions());
  const [provider, setProvider] = useState<{ editing: Provider | null } | null>(null);
  const [deleting, setDeleting] = useState<Deleting>(null);

  return (
    <>
      <PageHeader title="Settings" description="Model providers and webhooks of this workspace." />
      <div className="space-y-8">
        <Card>
          <CardHeader className="flex flex-wrap items-start justify-between gap-3 space-y-0">
            <div className="space-y-1">
              <CardTitle>Model providers</CardTitle>
              <CardDescription>
                Anthropic, OpenAI, Gemini, Ollama and OpenAI-compatible APIs. Keys are write-only: after saving only their last four characters show.
              </CardDescription>
            </div>
            <Button variant="secondary" size="sm" onClick={() => setProvider({ editing: null })}>
              Add provider
            </Button>
          </CardHeader>
          {settings.providers.length === 0 ? (
            <EmptyState
              className="m-5 py-8"
              title="No providers yet"
              description='Deployments and executions can always use the built-in "template" provider, which renders the prompt without calling a model.'
            />
          ) : (
            <ul className="divide-y divide-gray-100" aria-label="Model providers">
              {settings.providers.map((item) => {
                const masked = maskedKey(item);
                return (
                  <li key={item.identifier} className="flex flex-wrap items-center gap-x-6 gap-y-2 px-5 py-4">
                    <div className="min-w-48 flex-1 space-y-1">
                      <p className="flex flex-wrap items-center gap-2">
                        <span className="font-mono text-sm font-semibold text-gray-900">{item.identifier}</span>
                        <Badge tone="brand">{PROVIDER_KIND_LABELS[item.kind]}</Badge>
                        {item.active ? <Badge tone="success">Active</Badge> : <Badge tone="warning">Inactive</Badge>}
                      </p>
                      <p className="truncate font-mono text-xs text-gray-600" title={item.baseUrl}>
                        {item.baseUrl}
                      </p>
                    </div>
                    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                      <dt className="text-gray-500">Default model</dt>
                      <dd className="font-mono text-xs leading-5 text-gray-800">{item.defaultModel}</dd>
                      <dt className="text-gray-500">API key</dt>
                      <dd className="flex items-center gap-2">
                        {masked ? (
                          <>
                            <span className="font-mono text-xs text-gray-800" data-testid="masked-key">
                              {masked}
                            </span>
                            <Badge tone="success">Key set</Badge>
                          </>
                        ) : (
                          <Badge tone="warning">No key</Badge>
                        )}
                      </dd>
                      <dt className="text-gray-500">At once</dt>
                      <dd className="text-xs leading-5 text-gray-800">{item.maxConcurrency}</dd>
                      <dt className="text-gray-500">Updated</dt>
                      <dd className="text-xs leading-5 text-gray-600">
                        <DateTime value={item.updatedAt} />
                      </dd>
                    </dl>
                    <div className="flex gap-2">
                      <Button variant="secondary" size="sm" onClick={() => setProvider({ editing: item })}>
                        Edit<span className="sr-only"> provider {item.identifier}</span>
                      </Button>
                      <Button variant="dangerGhost" size="sm" onClick={() => setDeleting({ type: "provider", identifier: item.identifier })}>
                        Delete<span className="sr-only"> provider {item.identifier}</span>
                      </Button>
                    </div>
                    <TestConnection identifier={item.identifier} className="basis-full" />
                  </li>
                );
              })}
            </ul>
          )}
        </Card>

        <WebhooksCard webhooks={settings.webhooks} onDelete={(identifier) => setDeleting({ type: "webhook", identifier })} />
      </div>

      <ProviderDialog open={provider !== null} provider={provider?.editing ?? null} onClose={() => setProvider(null)} />
      <DeleteSettingDialog deleting={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

function DeleteSettingDialog({ deleting, onClose }: { deleting: Deleting; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const close = () => {
    remove.reset();
    onClose();
  };
  const remove = useMutation(
    trpc.settings.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.settings.list.queryKey() });
        toast({ title: `${deleting?.type === "provider" ? "Provider" : "Webhook"} ${deleting?.identifier ?? ""} deleted`, tone: "success" });
        close();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={deleting !== null}
      onClose={close}
      title={deleting?.type === "provider" ? "Delete provider?" : "Delete webhook?"}
      description={
        deleting ? (
          deleting.type === "provider" ? (
            <>
              The credentials of <span className="font-mono font-medium text-gray-900">{deleting.identifier}</span> are deleted. Deployments that use this
              provider will fail to run until it is added again.
            </>
          ) : (
            <>
              <span className="font-mono font-medium text-gray-900">{deleting.identifier}</span> will receive no more events.
            </>
          )
        ) : null
      }
      confirmLabel={deleting?.type === "provider" ? "Delete provider" : "Delete webhook"}
      errorTitle="Could not delete it"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => {
        if (deleting) remove.mutate({ type: deleting.type, identifier: deleting.identifier });
      }}
    />
  );
}
