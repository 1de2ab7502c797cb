"use client";

import { createSystemApiKeyInput } from "@sigil/validators";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { UnsavedChanges } from "@/components/unsaved-changes/context";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { useSystemAdmin } from "./admin-context";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useFocusWhenOpen } from "./focus-when-open";
import { formatNumber } from "./format";
import { DateTime } from "@/components/ui/date-time";
import { RelativeTime } from "@/components/ui/relative-time";

type ApiKey = RouterOutputs["admin"]["listApiKeys"][number];
type Created = RouterOutputs["admin"]["createApiKey"];

/** System-administrator API keys: list, create (the plain key shown once, with Copy), revoke. */
export function ApiKeys({ adminOrigin }: { adminOrigin: string }) {
  const trpc = useTRPC();
  const admin = useSystemAdmin();
  const { data: keys } = useSuspenseQuery(trpc.admin.listApiKeys.queryOptions());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const active = keys.filter((key) => key.status === "active").length;

  return (
    <>
      <PageHeader
        title="API keys"
        description="System-administrator keys (sgla_…) for scripts and the CLI. A key acts as the administrator who created it, on the admin host only."
        actions={
          <Button onClick={() => setCreating(true)} aria-hidden={creating || undefined}>
            Create API key
          </Button>
        }
      />
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} adminOrigin={adminOrigin} />
      <RevokeKeyDialog apiKey={revoking} onClose={() => setRevoking(null)} />
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet" description="Create a key (the button above) to call the admin API from a script or the CLI." />
      ) : (
        <>
          <p className="mb-3 text-sm text-gray-600">
            {formatNumber(active)} active · {formatNumber(keys.length - active)} revoked
          </p>
          <Table>
            <TableCaption className="sr-only">System-administrator API keys, newest first</TableCaption>
            <TableHeader>
              <tr>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Owner</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead className="text-right">Uses</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </tr>
            </TableHeader>
            <TableBody>
              {keys.map((key) => (
                <TableRow key={key.id}>
                  <TableCell className="font-medium text-gray-900">{key.name}</TableCell>
                  <TableCell className="font-mono text-xs text-gray-600">{key.prefix}</TableCell>
                  <TableCell>
                    {key.status === "active" ? (
                      <Badge tone="success">active</Badge>
                    ) : (
                      <Badge tone="neutral" title={key.revokedAt ? `Revoked ${key.revokedAt.toISOString()}` : undefined}>
                        revoked
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="text-gray-600">
                    {key.adminId === admin.id ? "You" : <code className="font-mono text-xs">{key.adminId.slice(0, 8)}</code>}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">
                    <DateTime value={key.createdAt} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">{key.lastUsedAt ? <RelativeTime value={key.lastUsedAt} /> : "Never"}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatNumber(key.usageCount)}</TableCell>
                  <TableCell className="text-right">
                    {key.status === "active" ? (
                      <Button size="sm" variant="dangerGhost" onClick={() => setRevoking(key)}>
                        Revoke<span className="sr-only"> {key.name}</span>
                      </Button>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </>
  );
}

function CreateKeyDialog({ open, onClose, adminOrigin }: { open: boolean; onClose: () => void; adminOrigin: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const formId = useId();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<Created | null>(null);
  const nameRef = useFocusWhenOpen<HTMLInputElement>(open && created === null);
  const create = useMutation(
    trpc.admin.createApiKey.mutationOptions({
      onSuccess: async (result) => {
        setCreated(result);
        toast({ title: `API key ${result.apiKey.name} created`, tone: "success" });
        await queryClient.invalidateQueries({ queryKey: trpc.admin.listApiKeys.queryKey() });
      },
    }),
  );
  const close = () => {
    setName("");
    setNameError(undefined);
    setCreated(null);
    create.reset();
    onClose();
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = createSystemApiKeyInput.safeParse({ name });
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message);
      return;
    }
    setNameError(undefined);
    create.mutate(parsed.data);
  };

  if (created) {
    return (
      <Dialog open={open} onClose={close} title={`API key ${created.apiKey.name} created`} className="max-w-xl" footer={<Button onClick={close}>Done</Button>}>
        <div className="space-y-4">
          <Alert tone="warning" title="Shown only once">
            Copy the key now and store it somewhere safe: Sigil keeps only its hash and cannot show it again.
          </Alert>
          <CopyField label="API key" value={created.key} />
          <div className="space-y-1.5">
            <p className="text-sm font-medium text-gray-800">Try it</p>
            <pre className="overflow-x-auto rounded-md bg-gray-900 px-3 py-2 font-mono text-xs text-gray-100">
              {`curl -H "Authorization: Bearer ${created.key}" \\\n  ${adminOrigin}/api/trpc/admin.me`}
            </pre>
          </div>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create API key"
      description="The key acts as you, on the admin host only. Name it after the script or machine that uses it."
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={create.isPending}>
            Create key
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-3">
        <UnsavedChanges dirty={name !== ""} />
        {create.error && !fieldErrorsOf(create.error).name ? <ErrorAlert error={create.error} title="Could not create the key" /> : null}
        <Field label="Name" error={nameError ?? fieldErrorsOf(create.error).name} hint="For example “nightly backup” or “ops laptop”.">
          {(props) => <Input {...props} ref={nameRef} name="name" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
      </form>
    </Dialog>
  );
}

function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation(
    trpc.admin.revokeApiKey.mutationOptions({
      onSuccess: async (revoked) => {
        toast({ title: `API key ${revoked.name} revoked`, tone: "success" });
        await queryClient.invalidateQueries({ queryKey: trpc.admin.listApiKeys.queryKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={apiKey !== null}
      onClose={() => {
        revoke.reset();
        onClose();
      }}
      title={`Revoke ${apiKey?.name ?? "this key"}?`}
      description="Scripts using this key stop working at once. This cannot be undone; create a new key if needed."
      confirmLabel="Revoke key"
      tone="danger"
      onConfirm={() => {
        if (apiKey) revoke.mutate({ id: apiKey.id });
      }}
      pending={revoke.isPending}
      error={revoke.error}
    />
  );
}
