"use client";

import { API_KEY_SCOPES, createApiKeyInput } from "@sigil/validators";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { useChangedSinceMount, useUnsavedChanges } from "@/components/unsaved-changes/context";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox, CheckboxGroup } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
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
import { issuesByField } from "@/lib/form-errors";
import { restExample } from "@/lib/rest-example";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";

type ApiKey = RouterOutputs["apiKeys"]["list"][number];
type Scope = (typeof API_KEY_SCOPES)[number];

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  "prompts:read": "Read prompts and their versions.",
  "prompts:preview": "Render templates with variables.",
  "executions:run": "Start executions of prompts.",
  "executions:read": "Read executions and their results.",
  "files:upload": "Upload files.",
  "files:download": "Download files (each download is audited).",
  "deployments:run": "Run deployments by name.",
};

const subscribeNever = () => () => undefined;
let pageLoadedAt: number | null = null;
/** One reading of the clock per page load: a stable snapshot for useSyncExternalStore. */
const clockSnapshot = () => (pageLoadedAt ??= Date.now());

/** "Expired" needs the clock: decided in the browser only (the server render shows the stored status). */
function useNow(): number | null {
  return useSyncExternalStore(subscribeNever, clockSnapshot, () => null);
}

function statusOf(key: ApiKey, now: number | null): { label: string; tone: BadgeTone } {
  if (key.status === "revoked") return { label: "Revoked", tone: "neutral" };
  if (now !== null && key.expiresAt !== null && key.expiresAt.getTime() <= now) return { label: "Expired", tone: "warning" };
  return { label: "Active", tone: "success" };
}

/** API keys (admins only): create → the plain key shown once with a Copy button; revoke. */
export function ApiKeysView() {
  const trpc = useTRPC();
  const { data: keys } = useSuspenseQuery(trpc.apiKeys.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const now = useNow();
  const queryClient = useQueryClient();
  const toast = useToast();
  // A key that no longer works (revoked, expired) can leave the list; nothing else depends on it.
  const remove = useMutation(
    trpc.apiKeys.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
        toast({ title: "API key removed", tone: "success" });
      },
    }),
  );

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for programs that call this workspace's API, with their scopes."
        actions={<Button onClick={() => setCreating(true)}>Create API key</Button>}
      />
      {remove.error ? <ErrorAlert error={remove.error} title="Could not remove the key" className="mb-4" /> : null}
      {keys.length === 0 ? (
        <EmptyState
          title="No API keys yet"
          description="Create a key for a script or a service; it is shown once, then only its prefix."
          action={<Button onClick={() => setCreating(true)}>Create API key</Button>}
        />
      ) : (
        <Table>
          <TableCaption className="sr-only">API keys, newest first</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Prefix</TableHead>
              <TableHead>Scopes</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="text-right">Uses</TableHead>
              <TableHead className="whitespace-nowrap">Last used</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {keys.map((key) => {
              const status = statusOf(key, now);
              return (
                <TableRow key={key.id} className={key.status === "revoked" ? "text-gray-500" : undefined}>
                  <TableCell>
                    <p className="font-medium text-gray-900">{key.name}</p>
                    <p className="text-xs whitespace-nowrap text-gray-500">
                      Created <DateTime value={key.createdAt} format="date" />
                    </p>
                  </TableCell>
                  <TableCell className="max-w-36 font-mono text-xs text-gray-700">
                    <span className="block truncate" title={key.prefix}>
                      {key.prefix}
                    </span>
                  </TableCell>
                  <TableCell>
                    <ul className="flex max-w-64 flex-wrap gap-1" aria-label={`Scopes of ${key.name}`}>
                      {key.scopes.map((scope) => (
                        <li key={scope}>
                          <Badge className="font-mono">{scope}</Badge>
                        </li>
                      ))}
                    </ul>
                  </TableCell>
                  <TableCell>
                    <Badge tone={status.tone}>{status.label}</Badge>
                    {key.status === "revoked" && key.revokedAt ? (
                      <p className="mt-1 text-xs whitespace-nowrap text-gray-500">
                        <DateTime value={key.revokedAt} format="date" />
                      </p>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{key.usageCount}</TableCell>
                  <TableCell className="text-gray-600">
                    <DateTime value={key.lastUsedAt} fallback="Never" />
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">
                    <DateTime value={key.expiresAt} format="date" fallback="Never" />
                  </TableCell>
                  <TableCell>
                    <div className="flex justify-end">
                      {status.label === "Active" ? (
                        <Button variant="dangerGhost" size="sm" onClick={() => setRevoking(key)}>
                          Revoke<span className="sr-only"> {key.name}</span>
                        </Button>
                      ) : (
                        <Button
                          variant="ghost"
                          size="sm"
                          loading={remove.isPending && remove.variables.id === key.id}
                          onClick={() => remove.mutate({ id: key.id })}
                        >
                          Remove<span className="sr-only"> {key.name}</span>
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <CreateApiKeyDialog open={creating} onClose={() => setCreating(false)} />
      <RevokeDialog apiKey={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

type Created = RouterOutputs["apiKeys"]["create"];

function CreateApiKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<Created | null>(null);
  const close = () => {
    // The plain key leaves memory with the dialog.
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={created ? "API key created" : "Create API key"}
      description={created ? undefined : "Choose what the key may do; it acts as you, limited to these scopes."}
    >
      {open ? created ? <PlainKey created={created} onDone={close} /> : <CreateForm onCreated={setCreated} onCancel={close} /> : null}
    </Dialog>
  );
}

function CreateForm({ onCreated, onCancel }: { onCreated: (created: Created) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["prompts:read", "executions:run", "executions:read"]);
  const [days, setDays] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
        onCreated(result);
      },
    }),
  );
  useUnsavedChanges(useChangedSinceMount({ name, scopes, days }) && !create.isSuccess);
  const serverErrors = fieldErrorsOf(create.error);
  const errors = { ...serverErrors, ...localErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let next: Record<string, string | undefined> = {};
    const trimmedDays = days.trim();
    if (trimmedDays !== "" && !/^\d+$/.test(trimmedDays)) next.expiresInDays = "Enter a whole number of days, or leave it empty.";
    const input = { name, scopes, expiresInDays: trimmedDays === "" ? undefined : Number(trimmedDays) };
    const parsed = createApiKeyInput.safeParse(input);
    if (!parsed.success) {
      const issues = issuesByField(parsed.error.issues);
      if (issues.expiresInDays) issues.expiresInDays = "Between 1 and 3650 days, or empty for no expiry.";
      next = { ...issues, ...next };
    }
    setLocalErrors(next);
    if (parsed.success && !Object.values(next).some(Boolean)) create.mutate(parsed.data);
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {create.error && !Object.values(serverErrors).some(Boolean) ? <ErrorAlert error={create.error} title="Could not create the key" /> : null}
      <Field label="Name" error={errors.name} hint="Who or what uses it, e.g. “CI pipeline”.">
        {(props) => (
          <Input
            {...props}
            name="name"
            autoComplete="off"
            autoFocus
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setLocalErrors((current) => ({ ...current, name: undefined }));
            }}
          />
        )}
      </Field>
      <CheckboxGroup legend="Scopes" error={errors.scopes}>
        <div className="grid gap-2 sm:grid-cols-2">
          {API_KEY_SCOPES.map((scope) => (
            <Checkbox
              key={scope}
              name="scopes"
              value={scope}
              label={<span className="font-mono text-xs">{scope}</span>}
              description={SCOPE_DESCRIPTIONS[scope]}
              checked={scopes.includes(scope)}
              onChange={(event) => {
                const checked = event.target.checked;
                setScopes((current) =>
                  checked ? API_KEY_SCOPES.filter((item) => item === scope || current.includes(item)) : current.filter((item) => item !== scope),
                );
                setLocalErrors((current) => ({ ...current, scopes: undefined }));
              }}
            />
          ))}
        </div>
      </CheckboxGroup>
      <Field label="Expires after (days)" optional error={errors.expiresInDays} hint="Empty: the key works until it is revoked.">
        {(props) => (
          <Input
            {...props}
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            name="expiresInDays"
            value={days}
            onChange={(event) => {
              setDays(event.target.value);
              setLocalErrors((current) => ({ ...current, expiresInDays: undefined }));
            }}
            className="w-40"
          />
        )}
      </Field>
      <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
        <Button variant="secondary" onClick={onCancel} disabled={create.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create key
        </Button>
      </div>
    </form>
  );
}

function PlainKey({ created, onDone }: { created: Created; onDone: () => void }) {
  const href = useWorkspaceHref();
  // Rendered only after the key was created, in the browser: the origin is the one the user is on.
  const apiBase = `${window.location.origin}${href("/api/v1")}`;
  return (
    <div className="space-y-4">
      <Alert tone="warning" title="Copy the key now">
        This is the only time the key is shown. Sigil keeps only a hash; if you lose it, revoke it and create another.
      </Alert>
      <Field
        label={`API key “${created.key.name}”`}
        hint={
          <>
            Send it as <code className="font-mono">Authorization: Bearer …</code>. Scopes: {created.key.scopes.join(", ")}.
          </>
        }
      >
        {(props) => (
          <div className="flex gap-2">
            <Input {...props} readOnly value={created.plainKey} onFocus={(event) => event.target.select()} className="font-mono text-xs" />
            <CopyButton value={created.plainKey} srLabel="Copy the API key" />
          </div>
        )}
      </Field>
      <div className="space-y-1.5">
        <p className="text-sm font-medium text-gray-800">Try it</p>
        <pre className="overflow-x-auto rounded-md bg-gray-900 px-3 py-2 font-mono text-xs text-gray-100">
          {restExample(apiBase, created.plainKey, created.key.scopes)}
        </pre>
        <p className="text-sm text-gray-600">
          Every operation is in the{" "}
          <a href={href("/api-reference")} target="_blank" rel="noreferrer" className="text-brand-700 underline underline-offset-2">
            REST API reference
          </a>
          .
        </p>
      </div>
      <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
        <Button onClick={onDone}>I have copied the key</Button>
      </div>
    </div>
  );
}

function RevokeDialog({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const close = () => {
    revoke.reset();
    onClose();
  };
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async (key) => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
        toast({ title: `API key ${key.name} revoked`, tone: "success" });
        close();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={apiKey !== null}
      onClose={close}
      title="Revoke API key?"
      description={
        apiKey ? (
          <>
            Programs using <span className="font-medium text-gray-900">{apiKey.name}</span> (<span className="font-mono">{apiKey.prefix}</span>) are refused
            from now on. This cannot be undone.
          </>
        ) : null
      }
      confirmLabel="Revoke key"
      errorTitle="Could not revoke the key"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => {
        if (apiKey) revoke.mutate({ id: apiKey.id });
      }}
    />
  );
}
