"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { WebhookDialog, type Webhook } from "./setting-dialogs";

type Delivery = RouterOutputs["webhooks"]["deliveries"]["data"][number];

const STATUS_TONES: Record<Delivery["status"], BadgeTone> = { pending: "warning", delivering: "brand", delivered: "success", failed: "danger" };

/**
 * Settings → Webhooks: the list, add / edit, the signing secret shown once (on create and on
 * rotation), and each webhook's delivery log with "send test event" and "redeliver".
 */
export function WebhooksCard({ webhooks, onDelete }: { webhooks: Webhook[]; onDelete: (identifier: string) => void }) {
  const [editing, setEditing] = useState<{ webhook: Webhook | null } | null>(null);
  const [secret, setSecret] = useState<{ identifier: string; secret: string } | null>(null);
  const [rotating, setRotating] = useState<string | null>(null);
  const [log, setLog] = useState<string | null>(null);

  return (
    <Card>
      <CardHeader className="flex flex-wrap items-start justify-between gap-3 space-y-0">
        <div className="space-y-1">
          <CardTitle>Webhooks</CardTitle>
          <CardDescription>
            Signed POSTs to your systems when executions finish or batch runs complete; sent by the worker, retried for 24 hours.
          </CardDescription>
        </div>
        <Button variant="secondary" size="sm" onClick={() => setEditing({ webhook: null })}>
          Add webhook
        </Button>
      </CardHeader>
      {webhooks.length === 0 ? (
        <EmptyState className="m-5 py-8" title="No webhooks yet" description="Add a URL to receive execution and batch events." />
      ) : (
        <ul className="divide-y divide-gray-100" aria-label="Webhooks">
          {webhooks.map((item) => (
            <li key={item.identifier} className="flex flex-wrap items-center gap-x-6 gap-y-2 px-5 py-4">
              <div className="min-w-48 flex-1 space-y-1">
                <p className="flex items-center gap-2">
                  <span className="font-mono text-sm font-semibold text-gray-900">{item.identifier}</span>
                  {item.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}
                  {item.deploymentId ? <Badge tone="brand">One deployment</Badge> : null}
                </p>
                <p className="truncate font-mono text-xs text-gray-600" title={item.url}>
                  {item.url}
                </p>
                <p className="text-xs text-gray-500">
                  {item.secretSet ? `Signing secret ••••${(item.secretHint ?? "").replace(/^…/, "")}` : "No signing secret: rotate to create one."}
                </p>
              </div>
              <ul className="flex flex-wrap gap-1" aria-label={`Events of ${item.identifier}`}>
                {item.events.map((event) => (
                  <li key={event}>
                    <Badge tone="brand" className="font-mono">
                      {event}
                    </Badge>
                  </li>
                ))}
              </ul>
              <div className="flex flex-wrap gap-2">
                <Button variant="secondary" size="sm" onClick={() => setLog(item.identifier)}>
                  Deliveries<span className="sr-only"> of webhook {item.identifier}</span>
                </Button>
                <Button variant="secondary" size="sm" onClick={() => setEditing({ webhook: item })}>
                  Edit<span className="sr-only"> webhook {item.identifier}</span>
                </Button>
                <Button variant="ghost" size="sm" onClick={() => setRotating(item.identifier)}>
                  Rotate secret<span className="sr-only"> of webhook {item.identifier}</span>
                </Button>
                <Button variant="dangerGhost" size="sm" onClick={() => onDelete(item.identifier)}>
                  Delete<span className="sr-only"> webhook {item.identifier}</span>
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <WebhookDialog
        open={editing !== null}
        webhook={editing?.webhook ?? null}
        onClose={() => setEditing(null)}
        onSecret={(identifier, value) => setSecret({ identifier, secret: value })}
      />
      <RotateSecretDialog identifier={rotating} onClose={() => setRotating(null)} onSecret={(identifier, value) => setSecret({ identifier, secret: value })} />
      <SecretDialog shown={secret} onClose={() => setSecret(null)} />
      <DeliveriesDialog identifier={log} onClose={() => setLog(null)} />
    </Card>
  );
}

/** The plain secret, this once: after closing only its last four characters are ever shown. */
function SecretDialog({ shown, onClose }: { shown: { identifier: string; secret: string } | null; onClose: () => void }) {
  return (
    <Dialog
      open={shown !== null}
      onClose={onClose}
      title={`Signing secret of ${shown?.identifier ?? ""}`}
      description="Copy it now: it is shown only this once. Your receiver uses it to verify the Sigil-Signature header (docs/webhooks.md)."
      footer={<Button onClick={onClose}>Done</Button>}
    >
      {shown ? (
        <CopyField label="Signing secret" value={shown.secret} hint="Stored encrypted; Sigil cannot show it again. Rotate it to get a new one." />
      ) : null}
    </Dialog>
  );
}

function RotateSecretDialog({
  identifier,
  onClose,
  onSecret,
}: {
  identifier: string | null;
  onClose: () => void;
  onSecret: (identifier: string, secret: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.settings.list.queryKey() });
        rotate.reset();
        onClose();
        onSecret(result.webhook.identifier, result.secret);
      },
    }),
  );
  return (
    <ConfirmDialog
      open={identifier !== null}
      onClose={() => {
        rotate.reset();
        onClose();
      }}
      tone="primary"
      title="Rotate the signing secret?"
      description="A new secret signs every delivery from now on; receivers checking the old one refuse them until you update them."
      confirmLabel="Rotate secret"
      errorTitle="Could not rotate the secret"
      pending={rotate.isPending}
      error={rotate.error}
      onConfirm={() => {
        if (identifier) rotate.mutate({ identifier });
      }}
    />
  );
}

/** A webhook's delivery log, newest first, with "send test event" and "redeliver". Refreshes while deliveries wait. */
function DeliveriesDialog({ identifier, onClose }: { identifier: string | null; onClose: () => void }) {
  return (
    <Dialog
      open={identifier !== null}
      onClose={onClose}
      title={`Deliveries of ${identifier ?? ""}`}
      description="Each event sent to this webhook: its status, attempts, the receiver's last answer and the next attempt."
      className="max-w-4xl"
    >
      {identifier ? <DeliveryLog key={identifier} identifier={identifier} /> : null}
    </Dialog>
  );
}

function DeliveryLog({ identifier }: { identifier: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [page, setPage] = useState(1);
  const input = { identifier, page, pageSize: 10 };
  const deliveries = useQuery(
    trpc.webhooks.deliveries.queryOptions(input, {
      // While a delivery waits for the worker, look again every 2 s to show its outcome.
      refetchInterval: (query) => (query.state.data?.data.some((row) => row.status === "pending" || row.status === "delivering") ? 2_000 : false),
    }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey({ identifier }) });
  const sendTest = useMutation(
    trpc.webhooks.sendTest.mutationOptions({
      onSuccess: async () => {
        setPage(1);
        await refresh();
        toast({ title: "Test event queued", description: "The worker sends it within seconds; its outcome shows here.", tone: "success" });
      },
    }),
  );
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions({ onSuccess: refresh }));
  const data = deliveries.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" loading={sendTest.isPending} onClick={() => sendTest.mutate({ identifier })}>
          Send test event
        </Button>
        <Button variant="secondary" size="sm" onClick={() => void refresh()}>
          Refresh
        </Button>
      </div>
      {sendTest.error ? <ErrorAlert error={sendTest.error} title="Could not queue the test event" /> : null}
      {redeliver.error ? <ErrorAlert error={redeliver.error} title="Could not send it again" /> : null}
      {deliveries.error ? <ErrorAlert error={deliveries.error} title="Could not load the deliveries" /> : null}
      {!data ? (
        <Skeleton className="h-24 w-full" />
      ) : data.total === 0 ? (
        <EmptyState title="No deliveries yet" description="Events this webhook receives, and test events, appear here." />
      ) : (
        <>
          <Table>
            <TableCaption className="sr-only">Deliveries of {identifier}, newest first</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Event</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Attempts</TableHead>
                <TableHead>Last answer</TableHead>
                <TableHead>Duration</TableHead>
                <TableHead>Next attempt</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.data.map((row) => (
                <TableRow key={row.id} data-testid="delivery-row">
                  <TableCell className="whitespace-nowrap">
                    <span className="block font-mono text-xs text-gray-900">{row.event}</span>
                    <span className="block text-xs text-gray-500">
                      <DateTime value={row.createdAt} format="seconds" />
                    </span>
                  </TableCell>
                  <TableCell>
                    <Badge tone={STATUS_TONES[row.status]}>{row.status}</Badge>
                  </TableCell>
                  <TableCell className="text-sm">{row.attempts}</TableCell>
                  <TableCell className="max-w-64 text-xs">
                    {row.lastStatusCode !== null ? <span className="font-mono">HTTP {row.lastStatusCode}</span> : null}
                    {row.lastError ? <span className="block text-red-700">{row.lastError}</span> : null}
                    {row.lastStatusCode === null && !row.lastError ? <span className="text-gray-500">—</span> : null}
                  </TableCell>
                  <TableCell className="text-xs whitespace-nowrap">{row.lastDurationMs !== null ? `${row.lastDurationMs} ms` : "—"}</TableCell>
                  <TableCell className="text-xs whitespace-nowrap">
                    <DateTime value={row.nextAttemptAt} format="seconds" fallback="—" />
                  </TableCell>
                  <TableCell>
                    {row.status === "failed" ? (
                      <Button
                        variant="secondary"
                        size="sm"
                        loading={redeliver.isPending && redeliver.variables.id === row.id}
                        onClick={() => redeliver.mutate({ identifier, id: row.id })}
                      >
                        Redeliver<span className="sr-only"> {row.event}</span>
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {data.totalPages > 1 ? (
            <div className="flex items-center justify-between text-sm text-gray-600">
              <span>
                Page {data.page} of {data.totalPages} ({data.total} deliveries)
              </span>
              <div className="flex gap-2">
                <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  Newer
                </Button>
                <Button variant="secondary" size="sm" disabled={page >= data.totalPages} onClick={() => setPage(page + 1)}>
                  Older
                </Button>
              </div>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
