"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { PromptLabel } from "@/components/prompts/prompt-deployments";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import { DeploymentFormDialog, type PromptOption } from "./deployment-form-dialog";

/**
 * "Deploy this version" (admins): promote it by pinning one of the prompt's deployments to it, or
 * create a new deployment pinned to it. A deployment is Sigil's label (production, staging…).
 */
export function DeployVersionDialog({
  prompt,
  version,
  labels,
  onClose,
}: {
  prompt: PromptOption;
  /** The version to deploy; null: closed. */
  version: number | null;
  labels: readonly PromptLabel[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  // The provider choices of the new-deployment form: settings are for admins, as is this dialog.
  const settings = useQuery(trpc.settings.list.queryOptions(undefined, { enabled: version !== null }));
  const pin = useMutation(
    trpc.deployments.update.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({ queryKey: trpc.deployments.pathKey() });
        toast({ title: `${saved.name} now serves v${saved.promptVersion ?? ""} (pinned)`, tone: "success" });
        onClose();
      },
    }),
  );
  const close = () => {
    if (pin.isPending) return;
    pin.reset();
    onClose();
  };

  return (
    <>
      <Dialog
        open={version !== null && !creating}
        onClose={close}
        title={`Deploy v${version ?? ""} of “${prompt.name}”`}
        description="A deployment is a label programs run a prompt by (production, staging…). Pin an existing one to this version, or create a new one."
        footer={
          <>
            <Button variant="secondary" onClick={close} disabled={pin.isPending}>
              Cancel
            </Button>
            <Button onClick={() => setCreating(true)} disabled={pin.isPending}>
              New deployment pinned to v{version ?? ""}
            </Button>
          </>
        }
      >
        <ErrorAlert error={pin.error} title="Could not move the deployment" />
        {labels.length === 0 ? (
          <p className="text-sm text-gray-600">This prompt has no deployments yet.</p>
        ) : (
          <ul className="divide-y divide-gray-100 rounded-md border border-gray-200 text-sm">
            {labels.map((label) => {
              const here = label.tracking === "pinned" && label.servedVersion === version;
              return (
                <li key={label.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                  <span className="flex flex-wrap items-center gap-2">
                    <span className="font-mono font-medium text-gray-900">{label.name}</span>
                    <Badge tone={label.tracking === "pinned" ? "brand" : "neutral"}>
                      {label.tracking === "pinned" ? `pinned to v${label.servedVersion}` : `follows latest (v${label.servedVersion})`}
                    </Badge>
                  </span>
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={here || pin.isPending || version === null}
                    loading={pin.isPending && pin.variables.id === label.id}
                    onClick={() => {
                      if (version !== null) pin.mutate({ id: label.id, promptVersion: version });
                    }}
                  >
                    {here ? `Serves v${version ?? ""}` : `Pin ${label.name} to v${version ?? ""}`}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
      </Dialog>
      <DeploymentFormDialog
        open={version !== null && creating}
        deployment={null}
        prompts={[prompt]}
        providers={settings.data?.providers ?? []}
        preset={version !== null ? { promptId: prompt.id, promptVersion: version } : undefined}
        onClose={() => {
          setCreating(false);
          onClose();
        }}
      />
    </>
  );
}
