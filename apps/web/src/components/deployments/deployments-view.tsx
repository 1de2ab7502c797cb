"use client";

import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import { deploymentsListInput, PROMPT_OPTIONS_INPUT } from "./constants";
import { DeploymentFormDialog, type Deployment } from "./deployment-form-dialog";
import { compactJson } from "./json";
import { RunDeploymentDialog } from "./run-deployment-dialog";

type Editing = { mode: "create" } | { mode: "edit"; deployment: Deployment } | null;

/**
 * Deployments (Sigil's labels: production, staging… each a name for a prompt version): list for
 * everyone, optionally of one prompt (`?prompt=<id>`), run for members, create / edit / delete for admins.
 */
export function DeploymentsView({ page, promptId }: { page: number; promptId?: string | undefined }) {
  const trpc = useTRPC();
  const me = useMe();
  const href = useWorkspaceHref();
  const isAdmin = me.user.role === "admin";
  const canRun = me.user.role !== "viewer";
  const { data: deployments } = useSuspenseQuery(trpc.deployments.list.queryOptions(deploymentsListInput(page, promptId)));
  const { data: prompts } = useSuspenseQuery(trpc.prompts.list.queryOptions(PROMPT_OPTIONS_INPUT));
  // Configured providers: only admins may read the settings (and only admins edit deployments).
  const settings = useQuery(trpc.settings.list.queryOptions(undefined, { enabled: isAdmin }));
  const providers = settings.data?.providers ?? [];
  // Webhooks limited to one deployment (Settings → Webhooks) are listed beside it.
  const webhooksOf = (deploymentId: string) => (settings.data?.webhooks ?? []).filter((webhook) => webhook.deploymentId === deploymentId);

  const [editing, setEditing] = useState<Editing>(null);
  const [running, setRunning] = useState<Deployment | null>(null);
  const [deleting, setDeleting] = useState<Deployment | null>(null);
  const promptNames = new Map(prompts.data.map((prompt) => [prompt.id, prompt.name]));

  return (
    <>
      <PageHeader
        title="Deployments"
        description={
          promptId !== undefined ? (
            <>
              Deployments of {promptNames.get(promptId) ?? "one prompt"} ·{" "}
              <Link href={href("/deployments")} className="font-medium text-brand-700 hover:underline">
                Show all deployments
              </Link>
            </>
          ) : (
            "Publish a prompt version under a stable name, a label such as production or staging, and run it by that name. A deployment is pinned to a version or follows the latest."
          )
        }
        actions={isAdmin ? <Button onClick={() => setEditing({ mode: "create" })}>New deployment</Button> : null}
      />

      {deployments.total === 0 ? (
        <EmptyState
          title="No deployments yet"
          description={
            isAdmin
              ? "A deployment gives programs one name to run a prompt with a chosen provider, model and options."
              : "An admin of this workspace can publish prompts as deployments; they appear here."
          }
          action={isAdmin ? <Button onClick={() => setEditing({ mode: "create" })}>New deployment</Button> : undefined}
        />
      ) : (
        <>
          <Table>
            <TableCaption className="sr-only">Deployments by name</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Prompt</TableHead>
                <TableHead>Version</TableHead>
                <TableHead className="whitespace-nowrap">Provider / model</TableHead>
                <TableHead>Options</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {deployments.data.map((deployment) => (
                <TableRow key={deployment.id}>
                  <TableCell className="font-mono text-sm font-medium whitespace-nowrap text-gray-900">
                    {deployment.name}
                    {webhooksOf(deployment.id).length > 0 ? (
                      <span className="block font-sans text-xs font-normal text-gray-500">
                        Webhooks:{" "}
                        <Link href={href("/settings")} className="font-mono text-brand-700 hover:underline">
                          {webhooksOf(deployment.id)
                            .map((webhook) => webhook.identifier)
                            .join(", ")}
                        </Link>
                      </span>
                    ) : null}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    <Link href={href(`/prompts/${deployment.promptId}`)} className="text-brand-700 hover:underline">
                      {promptNames.get(deployment.promptId) ?? `Prompt ${deployment.promptId.slice(0, 8)}`}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {deployment.promptVersion === null ? <Badge>Follows latest</Badge> : <Badge tone="brand">Pinned v{deployment.promptVersion}</Badge>}
                  </TableCell>
                  <TableCell className="font-mono text-xs whitespace-nowrap">
                    <span className="block text-gray-800">{deployment.provider}</span>
                    <span className="block text-gray-500">{deployment.model}</span>
                  </TableCell>
                  <TableCell className="max-w-44">
                    {Object.keys(deployment.options).length === 0 ? (
                      <span className="text-gray-500">—</span>
                    ) : (
                      <code className="block truncate font-mono text-xs text-gray-600" title={JSON.stringify(deployment.options, null, 2)}>
                        {compactJson(deployment.options, 60)}
                      </code>
                    )}
                  </TableCell>
                  <TableCell>
                    <div className="flex justify-end gap-2">
                      {canRun ? (
                        <Button size="sm" onClick={() => setRunning(deployment)}>
                          Run<span className="sr-only"> {deployment.name}</span>
                        </Button>
                      ) : null}
                      {isAdmin ? (
                        <>
                          <Button variant="secondary" size="sm" onClick={() => setEditing({ mode: "edit", deployment })}>
                            Edit<span className="sr-only"> {deployment.name}</span>
                          </Button>
                          <Button variant="dangerGhost" size="sm" onClick={() => setDeleting(deployment)}>
                            Delete<span className="sr-only"> {deployment.name}</span>
                          </Button>
                        </>
                      ) : null}
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pagination
            page={page}
            totalPages={deployments.totalPages}
            total={deployments.total}
            noun="deployments"
            hrefFor={(target) => href(`/deployments?page=${target}`)}
          />
        </>
      )}

      {isAdmin ? (
        <>
          <DeploymentFormDialog
            open={editing !== null}
            deployment={editing?.mode === "edit" ? editing.deployment : null}
            prompts={prompts.data}
            providers={providers}
            onClose={() => setEditing(null)}
          />
          <DeleteDeploymentDialog deployment={deleting} onClose={() => setDeleting(null)} />
        </>
      ) : null}
      {canRun ? <RunDeploymentDialog deployment={running} onClose={() => setRunning(null)} /> : null}
    </>
  );
}

function DeleteDeploymentDialog({ deployment, onClose }: { deployment: Deployment | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const close = () => {
    remove.reset();
    onClose();
  };
  const remove = useMutation(
    trpc.deployments.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.deployments.pathKey() });
        toast({ title: `Deployment ${deployment?.name ?? ""} deleted`, tone: "success" });
        close();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={deployment !== null}
      onClose={close}
      title="Delete deployment?"
      description={
        deployment ? (
          <>
            Programs calling <span className="font-mono font-medium text-gray-900">{deployment.name}</span> will get an error. Its past executions are kept.
          </>
        ) : null
      }
      confirmLabel="Delete deployment"
      errorTitle="Could not delete the deployment"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => {
        if (deployment) remove.mutate({ id: deployment.id });
      }}
    />
  );
}
