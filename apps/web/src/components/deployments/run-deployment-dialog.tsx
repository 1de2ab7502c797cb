"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useUnsavedChanges } from "@/components/unsaved-changes/context";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { emptyVariableHint } from "@/components/executions/execution-inputs";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/spinner";
import { useTRPC, useTRPCClient } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import type { Deployment } from "./deployment-form-dialog";
import { parseJsonObject } from "./json";

type Execution = RouterOutputs["deployments"]["run"];

/** Runs a deployment by name with input variables (members and admins), then links to the execution. */
export function RunDeploymentDialog({ deployment, onClose }: { deployment: Deployment | null; onClose: () => void }) {
  return (
    <Dialog
      open={deployment !== null}
      onClose={onClose}
      title={deployment ? `Run ${deployment.name}` : "Run deployment"}
      description="Starts an execution with these input variables; it counts against this month's executions."
      className="max-w-xl"
    >
      {deployment ? <RunForm key={deployment.id} deployment={deployment} onDone={onClose} /> : null}
    </Dialog>
  );
}

function RunForm({ deployment, onDone }: { deployment: Deployment; onDone: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const href = useWorkspaceHref();
  const [values, setValues] = useState<Record<string, string>>({});
  const [asJson, setAsJson] = useState(false);
  const [jsonText, setJsonText] = useState("{}");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [started, setStarted] = useState<Execution | null>(null);

  // The variables the deployment's prompt version uses (prompts.preview lists them).
  const variables = useQuery({
    queryKey: ["deployments", "run-variables", deployment.promptId, deployment.promptVersion],
    queryFn: () => client.prompts.preview.mutate({ id: deployment.promptId, version: deployment.promptVersion ?? undefined, variables: {} }),
    staleTime: 60_000,
  });
  const names = variables.data?.variables ?? [];

  const run = useMutation(
    trpc.deployments.run.mutationOptions({
      onSuccess: async (execution) => {
        setStarted(execution);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.executions.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.executions.stats.queryKey() }),
        ]);
      },
    }),
  );

  const switchMode = (json: boolean) => {
    if (json) {
      const current = Object.fromEntries(names.map((name) => [name, values[name] ?? ""]));
      setJsonText(JSON.stringify(current, null, 2));
    } else {
      const parsed = parseJsonObject(jsonText, "The input");
      if (parsed.ok) {
        setValues(Object.fromEntries(Object.entries(parsed.value).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)])));
      }
    }
    setJsonError(null);
    setAsJson(json);
  };

  // Typed input is work until the execution started: closing or leaving asks.
  useUnsavedChanges(started === null && (Object.values(values).some((value) => value !== "") || (asJson && jsonText !== "{}")));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let input: Record<string, unknown>;
    if (asJson) {
      const parsed = parseJsonObject(jsonText, "The input");
      if (!parsed.ok) {
        setJsonError(parsed.message);
        return;
      }
      input = parsed.value;
    } else {
      input = Object.fromEntries(names.map((name) => [name, values[name] ?? ""]));
    }
    setJsonError(null);
    run.mutate({ name: deployment.name, input });
  };

  if (started) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Execution started">
          <span className="font-mono text-xs">{started.id}</span> is <Badge tone="brand">{started.status}</Badge>. Follow it on its page until it completes.
        </Alert>
        <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
          <Button
            variant="secondary"
            onClick={() => {
              setStarted(null);
              run.reset();
            }}
          >
            Run again
          </Button>
          <Link href={href(`/executions/${started.id}`)} className={buttonClasses()}>
            Open execution
          </Link>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <ErrorAlert error={run.error} title="Could not start the execution" />
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 rounded-md bg-gray-50 px-3 py-2 text-xs text-gray-600">
        <dt>Provider / model</dt>
        <dd className="font-mono text-gray-800">
          {deployment.provider} · {deployment.model}
        </dd>
        <dt>Prompt version</dt>
        <dd className="text-gray-800">{deployment.promptVersion === null ? "Current" : `Pinned to v${deployment.promptVersion}`}</dd>
      </dl>

      {variables.isPending ? (
        <div className="space-y-2" role="status" aria-label="Loading the prompt's variables">
          <Skeleton className="h-4 w-32" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : variables.error ? (
        <ErrorAlert error={variables.error} title="Could not read the prompt's variables" />
      ) : asJson ? (
        <Field label="Input (JSON)" error={jsonError} hint="A JSON object of variable values; use it for lists and numbers.">
          {(props) => (
            <Textarea
              {...props}
              rows={8}
              spellCheck={false}
              value={jsonText}
              onChange={(event) => setJsonText(event.target.value)}
              className="font-mono text-xs"
            />
          )}
        </Field>
      ) : names.length === 0 ? (
        <p className="text-sm text-gray-600">This prompt uses no variables.</p>
      ) : (
        <fieldset className="space-y-3">
          <legend className="mb-2 text-sm font-medium text-gray-800">Input variables</legend>
          {names.map((name, index) => (
            <Field key={name} label={<span className="font-mono">{name}</span>} hint={emptyVariableHint(name, values[name])}>
              {(props) => (
                <Input
                  {...props}
                  name={name}
                  autoFocus={index === 0}
                  value={values[name] ?? ""}
                  onChange={(event) => setValues((current) => ({ ...current, [name]: event.target.value }))}
                />
              )}
            </Field>
          ))}
        </fieldset>
      )}
      {!variables.isPending && !variables.error ? (
        <Checkbox label="Edit the input as JSON" checked={asJson} onChange={(event) => switchMode(event.target.checked)} />
      ) : null}

      <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
        <Button variant="secondary" onClick={onDone} disabled={run.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={run.isPending}>
          Run
        </Button>
      </div>
    </form>
  );
}
