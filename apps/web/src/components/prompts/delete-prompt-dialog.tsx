"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { useToast } from "@/components/ui/toast";
import { useLeaveTo } from "@/components/unsaved-changes/context";
import { useFeature, useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import { deletionSummary } from "./deletion-summary";

/**
 * "Delete prompt": what goes with it, counted when the dialog opens. A prompt with deployments
 * names them (with links); an admin deletes them with it in the same confirmation (one transaction
 * on the server, refused if they changed meanwhile); anyone else learns who can, and gets no button.
 */
export function DeletePromptDialog({ prompt, open, onClose }: { prompt: { id: string; name: string }; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const leaveTo = useLeaveTo();
  const href = useWorkspaceHref();
  const toast = useToast();
  const queryClient = useQueryClient();
  const isAdmin = useMe().user.role === "admin";
  const deploymentsOn = useFeature("deployments");
  const impact = useQuery({ ...trpc.prompts.deletionImpact.queryOptions({ id: prompt.id }), enabled: open, staleTime: 0 });
  const remove = useMutation(
    trpc.prompts.delete.mutationOptions({
      onSuccess: async (result) => {
        const deployments = result.deletedDeployments.length;
        toast({
          title: `Prompt “${prompt.name}” deleted`,
          description:
            deployments === 0
              ? undefined
              : `With ${deployments === 1 ? "its deployment" : `its ${deployments} deployments`}: ${result.deletedDeployments.join(", ")}.`,
          tone: "success",
        });
        leaveTo(href("/prompts"));
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.deployments.pathKey() }),
        ]);
      },
    }),
  );
  const close = () => {
    if (remove.isPending) return;
    remove.reset();
    onClose();
  };

  const deployments = impact.data?.deploymentList ?? [];
  const summary = deletionSummary(impact.data, { canDeleteDeployments: isAdmin });
  const list =
    deployments.length > 0 ? (
      <ul aria-label="Deployments of this prompt" className="mb-2 flex flex-wrap gap-2 text-sm">
        {deployments.map((deployment) => (
          <li key={deployment.id} className="font-mono">
            {deploymentsOn ? (
              <Link href={`${href("/deployments")}?prompt=${prompt.id}`} className="text-brand-700 hover:underline">
                {deployment.name}
              </Link>
            ) : (
              deployment.name
            )}
          </li>
        ))}
      </ul>
    ) : null;

  if (deployments.length > 0 && !isAdmin) {
    return (
      <Dialog
        open={open}
        onClose={close}
        title={`“${prompt.name}” cannot be deleted by you`}
        description={summary}
        footer={
          <Button variant="secondary" onClick={close}>
            Close
          </Button>
        }
      >
        {list}
      </Dialog>
    );
  }
  const confirmLabel =
    deployments.length === 0 ? "Delete prompt" : `Delete prompt and ${deployments.length === 1 ? "1 deployment" : `${deployments.length} deployments`}`;
  return (
    <ConfirmDialog
      open={open}
      onClose={close}
      title={`Delete “${prompt.name}”?`}
      description={summary}
      confirmLabel={confirmLabel}
      pending={remove.isPending || remove.isSuccess}
      error={remove.error}
      onConfirm={() =>
        remove.mutate(deployments.length === 0 ? { id: prompt.id } : { id: prompt.id, deleteDeployments: deployments.map((deployment) => deployment.id) })
      }
    >
      {list}
    </ConfirmDialog>
  );
}
